import net from 'node:net';

/** A TCP proxy on a free loopback port that a test can cut (a database restarting) and restore. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1') {
    const sockets = new Set<net.Socket>();
    let open = true;
    const server = net.createServer((client) => {
        if (!open) {
            client.destroy();
            return;
        }
        const upstream = net.connect(targetPort, targetHost);
        for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on('close', () => sockets.delete(socket));
            socket.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
        port,
        /** Drops every connection and refuses new ones, as a stopped server does. */
        cut: () => {
            open = false;
            for (const socket of sockets) socket.destroy();
        },
        restore: () => {
            open = true;
        },
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}

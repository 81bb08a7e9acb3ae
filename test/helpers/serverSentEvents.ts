/**
 * Reads server-sent events of `type` from a stream until `count` arrived, or until none came for `idleMs`;
 * returns their data.
 */
export async function readEvents(response: Response, type: string, count: number, idleMs = 10_000): Promise<unknown[]> {
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const found: unknown[] = [];
    let buffer = '';
    // One decoder for the whole stream: a character split between two chunks is joined, not garbled.
    const decoder = new TextDecoder();
    while (found.length < count) {
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), idleMs)));
        const next = await Promise.race([reader.read(), idle]);
        clearTimeout(timer);
        if (next === 'idle' || next.done) break;
        buffer += decoder.decode(next.value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === type && data) found.push(JSON.parse(data));
        }
    }
    await reader.cancel();
    return found;
}

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { projectRoot } from '../bot/config';

/**
 * Serves the sample partner page (web/partner-sample.html) on http://localhost:8090, an origin sites.yaml allows
 * for the "riverside-housing" site, so a newcomer can see the one-line embed at work against `npm start`.
 * Usage: npm run partner:sample [-- --port 8090 --assistant http://localhost:3978]
 */
export function partnerSamplePage(assistantUrl: string): string {
    const template = fs.readFileSync(path.join(projectRoot, 'web', 'partner-sample.html'), 'utf8');
    return template.replaceAll('{{ASSISTANT_URL}}', assistantUrl.replace(/\/$/, ''));
}

/** Starts the sample partner site; resolves once it listens. */
export function startPartnerSample(port: number, assistantUrl: string): Promise<http.Server> {
    const html = partnerSamplePage(assistantUrl);
    const server = http.createServer((req, res) => {
        if (req.url !== '/' && req.url !== '/index.html') {
            res.statusCode = 404;
            res.end('Not found');
            return;
        }
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(html);
    });
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const option = (name: string, fallback: string) => {
        const at = args.indexOf(`--${name}`);
        return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
    };
    const port = Number(option('port', '8090'));
    const assistant = option('assistant', `http://localhost:${process.env.PORT ?? '3978'}`);
    void startPartnerSample(port, assistant).then(() => {
        console.log(`Sample partner page: http://localhost:${port} (embedding ${assistant}/embed.js)`);
    });
}

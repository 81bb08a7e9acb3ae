import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type restify from 'restify';
import type { KnowledgeSource } from '../../dialogs/dialogContext';
import { Replies } from '../../dialogs/replies';
import { projectRoot } from '../config';
import type { Logger } from '../logger';
import { chatPage } from './chatPage';
import { requestOrigin, type ChatTokenIssuer } from './chatTokenRoute';

/** What the chat page needs. */
export interface ChatPageOptions {
    readonly knowledge: KnowledgeSource;
    readonly tokens: ChatTokenIssuer;
    readonly trustProxy: boolean;
    readonly log: Logger;
}

/** A static file, read once, served gzipped to browsers that accept it. */
interface Asset {
    readonly type: string;
    readonly body: Buffer;
    readonly gzipped: Buffer;
    readonly etag: string;
}

function asset(file: string, type: string): Asset {
    const body = fs.readFileSync(file);
    return {
        type,
        body,
        gzipped: gzipSync(body),
        etag: `"${body.length.toString(36)}-${fs.statSync(file).mtimeMs.toString(36)}"`,
    };
}

// sha256 of the empty string, base64: the hash of style="".
const emptyStyleHash = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** The Content-Security-Policy of the chat page: only this service's scripts, and Web Chat's nonced styles. */
export function chatPagePolicy(nonce: string, directLineOrigins: readonly string[]): string {
    return [
        "default-src 'self'",
        "script-src 'self'",
        // Web Chat's injected styles carry the nonce; the one hash is of an empty style attribute it sets, which
        // changes nothing (CSP3 'unsafe-hashes' lets exactly that hash through, no other inline style).
        `style-src 'self' 'nonce-${nonce}' 'unsafe-hashes' '${emptyStyleHash}'`,
        "img-src 'self' data: blob:",
        `connect-src 'self' ${directLineOrigins.join(' ')}`.trim(),
        "worker-src 'self' blob:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].join('; ');
}

/**
 * Serves the residents' chat page at `/` with Web Chat from this service (no CDN), and the token route the page
 * starts Direct Line with.
 */
export function registerChatPage(server: restify.Server, options: ChatPageOptions): void {
    const { log } = options;
    const assets: Record<string, Asset> = {
        // The official bundle (the package exports no path to it, so it is found beside its entry point).
        '/chat/webchat.js': asset(
            path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js'),
            'text/javascript',
        ),
        '/chat/chat.js': asset(path.join(projectRoot, 'web', 'chat.js'), 'text/javascript'),
        '/chat/chat.css': asset(path.join(projectRoot, 'web', 'chat.css'), 'text/css'),
    };
    for (const [route, file] of Object.entries(assets)) {
        server.get(route, (req: restify.Request, res: restify.Response, next: restify.Next) => {
            const gzip = /\bgzip\b/.test(req.header('accept-encoding') ?? '');
            const headers = {
                'content-type': `${file.type}; charset=utf-8`,
                'x-content-type-options': 'nosniff',
                'cache-control': 'public, max-age=3600',
                etag: file.etag,
                vary: 'accept-encoding',
                ...(gzip && { 'content-encoding': 'gzip' }),
            };
            if (req.header('if-none-match') === file.etag) {
                res.writeHead(304, headers);
                res.end();
            } else {
                res.writeHead(200, headers);
                res.end(gzip ? file.gzipped : file.body);
            }
            next(false);
        });
    }

    server.get('/', (req: restify.Request, res: restify.Response, next: restify.Next) => {
        const engine = options.knowledge.current();
        const { council, conversation } = engine.knowledge;
        const nonce = randomBytes(16).toString('base64');
        const origin = requestOrigin(req, options.trustProxy);
        const streams = options.tokens.kind === 'builtIn' ? [origin.replace(/^http/, 'ws')] : ['https:', 'wss:'];
        res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': chatPagePolicy(nonce, streams),
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
            'cache-control': 'no-store',
        });
        res.end(
            chatPage({
                councilName: council.name,
                assistantName: `${council.shortName ?? council.name} assistant`,
                intro: new Replies(engine).say(conversation.welcome),
                councilWebsite: council.website,
                nonce,
                language: 'en-GB',
            }),
        );
        next(false);
    });

    server.post('/api/directline/token', async (req: restify.Request, res: restify.Response) => {
        const origin = requestOrigin(req, options.trustProxy);
        const from = req.header('origin');
        // Browsers name the page asking; only this service's own pages get tokens here.
        if (from !== undefined && from !== origin) {
            res.send(403, { error: 'origin_not_allowed' });
            return;
        }
        try {
            res.header('cache-control', 'no-store');
            res.send(200, await options.tokens.issue(origin));
        } catch (error) {
            log.error('chat.token_failed', { error });
            res.send(503, { error: 'direct_line_unavailable' });
        }
    });
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type restify from 'restify';
import type { KnowledgeSource } from '../../dialogs/dialogContext';
import { Replies } from '../../dialogs/replies';
import { localise } from '../../knowledge/localise';
import { logoMediaType } from '../../knowledge/logo';
import { findSiteById, type Site } from '../../knowledge/sites';
import { projectRoot } from '../config';
import type { Logger } from '../logger';
import { chatPage } from './chatPage';
import type { ChatTokenIssuer } from './chatTokenRoute';
import { fromOwnPage, queryOf, serviceOrigin, type OriginSettings } from './serviceOrigin';

/** What the chat page needs. */
export interface ChatPageOptions {
    readonly knowledge: KnowledgeSource;
    readonly tokens: ChatTokenIssuer;
    readonly origin: OriginSettings;
    readonly log: Logger;
}

/** A static file, read once, served gzipped to browsers that accept it. */
interface Asset {
    readonly type: string;
    readonly body: Buffer;
    readonly gzipped: Buffer;
    readonly etag: string;
}

/** One file, or several served as one (the shared stylesheet and a page's own). */
function asset(files: string | readonly string[], type: string): Asset {
    const list = typeof files === 'string' ? [files] : files;
    const body = Buffer.concat(list.map((file) => fs.readFileSync(file)));
    const newest = Math.max(...list.map((file) => fs.statSync(file).mtimeMs));
    const etag = `"${body.length.toString(36)}-${Math.round(newest).toString(36)}"`;
    return { type, body, gzipped: gzipSync(body, { level: 9 }), etag };
}

// sha256 of the empty string, base64: the hash of style="".
const emptyStyleHash = 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/**
 * The Content-Security-Policy of the chat page: only this service's scripts; styles from this service or carrying
 * the page's nonce (its colours, and what Web Chat injects); Direct Line only; framed by nobody, or for a partner
 * site only by its allowed origins.
 */
export function chatPagePolicy(nonce: string, directLineOrigins: readonly string[], frameAncestors: readonly string[]) {
    return [
        "default-src 'self'",
        "script-src 'self'",
        // The one hash is of an empty style attribute Web Chat sets, which changes nothing (CSP3 'unsafe-hashes'
        // lets exactly that hash through, and no other inline style).
        `style-src 'self' 'nonce-${nonce}' 'unsafe-hashes' '${emptyStyleHash}'`,
        "img-src 'self' data: blob:",
        `connect-src 'self' ${directLineOrigins.join(' ')}`.trim(),
        "worker-src 'self' blob:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
    ].join('; ');
}

/**
 * Serves the residents' chat page at `/`; the launcher script for partner sites (`/embed.js`), its settings and
 * the chat page inside their iframe (`/embed/chat`); Web Chat from this service (no CDN); and the token route
 * the pages start Direct Line with.
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
        '/chat/chat.css': asset(
            ['base.css', 'chat.css'].map((file) => path.join(projectRoot, 'web', file)),
            'text/css',
        ),
        '/embed.js': asset(path.join(projectRoot, 'web', 'embed.js'), 'text/javascript'),
    };
    const serve = (file: Asset, req: restify.Request, res: restify.Response, extra: Record<string, string> = {}) => {
        const gzip = /\bgzip\b/.test(req.header('accept-encoding') ?? '');
        const headers = {
            'content-type': file.type.startsWith('image/') ? file.type : `${file.type}; charset=utf-8`,
            'x-content-type-options': 'nosniff',
            'cache-control': 'public, max-age=3600',
            etag: file.etag,
            vary: 'accept-encoding',
            ...(gzip && { 'content-encoding': 'gzip' }),
            ...extra,
        };
        res.writeHead(req.header('if-none-match') === file.etag ? 304 : 200, headers);
        res.end(req.header('if-none-match') === file.etag ? undefined : gzip ? file.gzipped : file.body);
    };
    for (const [route, file] of Object.entries(assets)) {
        server.get(route, (req: restify.Request, res: restify.Response, next: restify.Next) => {
            serve(file, req, res);
            next(false);
        });
    }

    let logo: { path: string; asset: Asset } | undefined;
    server.get('/chat/logo', (req: restify.Request, res: restify.Response, next: restify.Next) => {
        const file = options.knowledge.current().knowledge.council.branding.logo;
        if (logo?.path !== file) logo = { path: file, asset: asset(file, logoMediaType(file) ?? 'image/png') };
        // An SVG can carry script: served on its own it may run nothing.
        serve(logo.asset, req, res, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
        next(false);
    });

    const page = (req: restify.Request, res: restify.Response, site?: Site) => {
        const engine = options.knowledge.current();
        const { council, conversation } = engine.knowledge;
        const replies = new Replies(engine);
        const { branding } = council;
        const assistantName = localise(branding.assistantName);
        const nonce = randomBytes(16).toString('base64');
        const origin = serviceOrigin(req, options.origin);
        const directLine = options.tokens.connectSources(origin);
        res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': chatPagePolicy(nonce, directLine, site?.allowedOrigins ?? []),
            'x-content-type-options': 'nosniff',
            // The embedded page sends its origin (not its path) to Direct Line; the council page sends nothing.
            'referrer-policy': 'no-referrer',
            'cache-control': 'no-store',
        });
        res.end(
            chatPage({
                language: 'en-GB',
                councilName: council.name,
                councilWebsite: council.website,
                assistantName,
                intro: replies.say(branding.intro),
                colours: site ? { primary: site.accentColour, accent: site.accentColour } : branding.colours,
                logoAlt: localise(branding.logoAlt),
                nonce,
                ...(site && { site: site.id }),
                texts: {
                    skipLink: replies.say(conversation.page.skipLink),
                    chatLabel: replies.say(conversation.page.chatLabel, { assistant: assistantName }),
                    loading: replies.say(conversation.page.loading),
                    needsJavaScript: replies.say(conversation.page.needsJavaScript, { website: council.website }),
                    unavailable: replies.say(conversation.page.unavailable),
                    closeChat: replies.say(conversation.page.closeChat),
                },
            }),
        );
    };
    const siteOf = (req: restify.Request) =>
        findSiteById(options.knowledge.current().knowledge.sites, queryOf(req).get('site') ?? '');

    server.get('/', (req: restify.Request, res: restify.Response, next: restify.Next) => {
        page(req, res);
        next(false);
    });

    // The chat inside a partner site's iframe: only its allowed origins may frame it (frame-ancestors).
    server.get('/embed/chat', (req: restify.Request, res: restify.Response, next: restify.Next) => {
        const site = siteOf(req);
        if (!site) res.send(404, { error: 'unknown_site' });
        else page(req, res, site);
        next(false);
    });

    // The launcher asks first: a page on an origin the site does not allow gets no settings, and so no chat.
    server.get('/embed/config', (req: restify.Request, res: restify.Response, next: restify.Next) => {
        const site = siteOf(req);
        const from = req.header('origin');
        res.header('vary', 'origin');
        if (!site || !from || !site.allowedOrigins.includes(from)) {
            res.send(403, { error: 'origin_not_allowed' });
            return next(false);
        }
        const engine = options.knowledge.current();
        res.header('access-control-allow-origin', from);
        res.header('cache-control', 'no-store');
        // The launcher opens the chat from the origin it loaded from, whatever this request's Host said.
        res.send(200, {
            label: new Replies(engine).say(site.launcherLabel),
            title: localise(engine.knowledge.council.branding.assistantName),
            accent: site.accentColour,
        });
        return next(false);
    });

    server.post('/api/directline/token', async (req: restify.Request, res: restify.Response) => {
        const origin = serviceOrigin(req, options.origin);
        const query = queryOf(req);
        const siteId = query.get('site');
        const site = siteId === null ? undefined : siteOf(req);
        // Only this service's own pages get tokens here, and for a partner site only the chat inside one of its
        // allowed origins. (`parent` comes from the page: frame-ancestors and the launcher's settings are what keep
        // the chat off other sites; this keeps a page that was never embedded from posing as a site.)
        // A site's token also needs the browser to say it asks from this service's own page (the embed sends
        // Origin with its POST): a bare request without either header is not given a partner site's attribution.
        const saysOwnPage = req.header('sec-fetch-site') === 'same-origin' || req.header('origin') === origin;
        const allowed =
            fromOwnPage(req, origin) &&
            (siteId === null ||
                (site !== undefined && saysOwnPage && site.allowedOrigins.includes(query.get('parent') ?? '')));
        if (!allowed) {
            res.send(403, { error: 'origin_not_allowed' });
            return;
        }
        try {
            res.header('cache-control', 'no-store');
            res.send(200, await options.tokens.issue(origin, site?.id));
        } catch (error) {
            log.error('chat.token_failed', { error });
            res.send(503, { error: 'direct_line_unavailable' });
        }
    });
}

import type restify from 'restify';
import type { ReloadResult } from './liveKnowledge';
import type { Logger } from './logger';
import { sameText } from './signedValue';

/**
 * POST /admin/reload with `Authorization: Bearer <ADMIN_TOKEN>`: reloads the knowledge and answers 200 with the
 * number of services, or 422 with the located problems when the change is invalid (the last good knowledge keeps
 * serving). Without ADMIN_TOKEN the route does not exist (404).
 */
export function registerAdmin(
    server: restify.Server,
    options: { readonly token: string | undefined; readonly reload: () => ReloadResult; readonly log: Logger },
): void {
    server.post('/admin/reload', async (req: restify.Request, res: restify.Response) => {
        if (!options.token) {
            res.send(404, { error: 'not_found' });
            return;
        }
        const header = req.header('authorization') ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
        if (!given || !sameText(given, options.token)) {
            options.log.warn('admin.refused', { route: '/admin/reload' });
            res.header('www-authenticate', 'Bearer');
            res.send(401, { error: 'unauthorized' });
            return;
        }
        const result = options.reload();
        res.send(result.status === 'reloaded' ? 200 : 422, result);
    });
}

import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../../bot/agentConsole/passwordHash';

// A low cost keeps the suite fast; the format and the checks are the same at any cost.
const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
    it('writes scrypt$N$r$p$salt$hash and verifies the same password', async () => {
        const hash = await hashPassword('correct horse battery', cheap);
        expect(hash).to.match(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
        expect(await verifyPassword('correct horse battery', hash)).to.equal(true);
    });

    it('rejects a wrong password', async () => {
        const hash = await hashPassword('correct horse battery', cheap);
        expect(await verifyPassword('correct horse batterY', hash)).to.equal(false);
        expect(await verifyPassword('', hash)).to.equal(false);
    });

    it('salts every hash, so the same password never gives the same hash twice', async () => {
        expect(await hashPassword('same password!', cheap)).to.not.equal(await hashPassword('same password!', cheap));
    });

    it('uses the default cost when none is given', async () => {
        const hash = await hashPassword('correct horse battery');
        expect(hash).to.match(/^scrypt\$32768\$8\$3\$/);
        expect(await verifyPassword('correct horse battery', hash)).to.equal(true);
    });

    it('treats a malformed or dangerous hash as not matching instead of failing', async () => {
        const good = await hashPassword('pw', cheap);
        const [, , , , salt, key] = good.split('$');
        for (const bad of [
            '',
            'plain-text',
            `bcrypt$1024$8$1$${salt}$${key}`,
            `scrypt$1000$8$1$${salt}$${key}`,
            `scrypt$${2 ** 30}$8$1$${salt}$${key}`,
            `scrypt$1024$0$1$${salt}$${key}`,
            `scrypt$1024$8$1$${salt}$short`,
            `scrypt$1024$8$1$$${key}`,
        ]) {
            expect(await verifyPassword('pw', bad), bad).to.equal(false);
        }
    });
});

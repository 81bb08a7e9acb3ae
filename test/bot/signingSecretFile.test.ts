import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, projectRoot } from '../../bot/config';
import { loadSigningSecret } from '../../bot/signingSecretFile';

const checksModes = process.platform !== 'win32';

/** Loads the secret in a process of its own; resolves with what it got. */
function loadElsewhere(file: string): Promise<{ secret: string; created: boolean }> {
    const script = `const { loadSigningSecret } = require('./bot/signingSecretFile.ts');
const { secret, created } = loadSigningSecret(process.argv[1]);
process.stdout.write(JSON.stringify({ secret, created }));`;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, file], { cwd: projectRoot });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
    });
}

describe('the signing secret kept in DATA_DIR', function () {
    this.timeout(30_000);
    let dir: string;
    let file: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signing-secret-'));
        file = path.join(dir, 'data', 'session-secret');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('makes a random secret once, readable by its owner only, and gives the same one afterwards', () => {
        const made = loadSigningSecret(file);
        expect(made.created).to.equal(true);
        expect(made.secret).to.match(/^[\w-]{43}$/);
        if (checksModes) expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(fs.readdirSync(path.dirname(file))).to.deep.equal(['session-secret']);
        expect(loadSigningSecret(file)).to.deep.equal({ secret: made.secret, created: false, madePrivate: false });
        expect(loadSigningSecret(path.join(dir, 'other', 'session-secret')).secret).to.not.equal(made.secret);
    });

    it('gives every process starting at once on an empty folder the same secret, made by one of them', async () => {
        const loaded = await Promise.all([1, 2, 3, 4].map(() => loadElsewhere(file)));
        expect(new Set(loaded.map((l) => l.secret)).size).to.equal(1);
        expect(loaded.filter((l) => l.created)).to.have.length(1);
        expect(fs.readFileSync(file, 'utf8').trim()).to.equal(loaded[0]?.secret);
        expect(fs.readdirSync(path.dirname(file))).to.deep.equal(['session-secret']);
    });

    it('makes a file others could read private again, and says so', function () {
        if (!checksModes) this.skip();
        const made = loadSigningSecret(file);
        fs.chmodSync(file, 0o644);
        expect(loadSigningSecret(file)).to.deep.equal({ secret: made.secret, created: false, madePrivate: true });
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    });

    it('stops start-up, naming the file and what to do, when it holds no usable secret', () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, 'short\n', { mode: 0o600 });
        expect(() => loadSigningSecret(file))
            .to.throw(ConfigError)
            .with.property('message')
            .that.contains(file)
            .and.contains('delete the file');
    });
});

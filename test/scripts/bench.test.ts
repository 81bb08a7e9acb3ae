import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../bot/config';
import { loadKnowledge } from '../../knowledge/loader';
import { generateServices, writeGeneratedKnowledge } from '../../scripts/bench/generateKnowledge';

describe('the benchmark knowledge generator', () => {
    const sampleDir = path.join(projectRoot, 'knowledge', 'sample');
    const sample = loadKnowledge(sampleDir).services;

    it('makes the same services from the same seed, and others from another seed', () => {
        const first = generateServices(sample, sample.length + 60, 7);
        expect(generateServices(sample, sample.length + 60, 7)).to.deep.equal(first);
        expect(generateServices(sample, sample.length + 60, 8)).to.not.deep.equal(first);
    });

    it('writes a folder of exactly the asked number of services that the real loader accepts, ids unique', () => {
        const generated = writeGeneratedKnowledge(sampleDir, 180, 7);
        try {
            const { services } = loadKnowledge(generated.dir);
            expect(services).to.have.length(180);
            expect(new Set(services.map((s) => s.id)).size).to.equal(180);
            expect(services.every((s) => s.phrases.length >= 8)).to.equal(true);
        } finally {
            generated.remove();
        }
    });

    it('refuses fewer services than the sample has', () => {
        expect(() => generateServices(sample, sample.length - 1, 7)).to.throw(/below the sample/);
    });
});

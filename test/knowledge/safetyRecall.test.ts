import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { KnowledgeEngine } from '../../knowledge/engine';
import { sampleKnowledge } from './knowledgeFixture';

/** The safety evaluation sets, written apart from the phrases (see the comments at the top of each file). */
const setsDir = path.resolve(__dirname, '../eval/safety');

interface SafetyCase {
    readonly text: string;
    /** The rule ids that are right (any one of them), or ["none"] when no rule may fire. */
    readonly expect: readonly string[];
}

function loadSet(name: string): SafetyCase[] {
    const { cases } = parse(fs.readFileSync(path.join(setsDir, `${name}.yaml`), 'utf8')) as {
        cases: { text: string; expect: string | string[] }[];
    };
    return cases.map(({ text, expect: expected }) => ({ text, expect: [expected].flat() }));
}

describe('safety recall on indirect wording', () => {
    let engine: KnowledgeEngine;
    const ruleIds = sampleKnowledge().safetyRules.map((rule) => rule.id);

    before(() => {
        engine = new KnowledgeEngine(sampleKnowledge());
    });

    for (const name of ['indirect', 'indirect-heldout']) {
        describe(`${name}.yaml: risks said indirectly`, () => {
            const cases = loadSet(name);

            it('names only rules the sample has', () => {
                expect(cases.flatMap((c) => c.expect)).to.satisfy((ids: string[]) =>
                    ids.every((id) => ruleIds.includes(id)),
                );
            });

            for (const { text, expect: rules } of cases) {
                it(`signposts ${rules.join(' or ')} for "${text}"`, () => {
                    expect(rules).to.include(engine.understand(text).safety?.id ?? 'none');
                });
            }
        });
    }

    for (const name of ['ordinary', 'ordinary-heldout']) {
        describe(`${name}.yaml: ordinary messages with alarming words`, () => {
            const cases = loadSet(name);

            it('expects no rule for any of them', () => {
                expect(cases.every((c) => c.expect.length === 1 && c.expect[0] === 'none')).to.equal(true);
            });

            for (const { text } of cases) {
                it(`does not signpost "${text}"`, () => {
                    expect(engine.understand(text).safety?.id).to.equal(undefined);
                });
            }
        });
    }

    it('has at least 60 risks and 60 ordinary messages to tune on, and 20 of each held out', () => {
        expect(loadSet('indirect')).to.have.length.of.at.least(60);
        expect(loadSet('ordinary')).to.have.length.of.at.least(60);
        expect(loadSet('indirect-heldout')).to.have.length(20);
        expect(loadSet('ordinary-heldout')).to.have.length(20);
    });
});

import path from 'node:path';
import { expect } from 'chai';
import { evaluate, judge, loadEvaluationCases, summarise } from '../../bot/evaluation';
import { projectRoot } from '../../bot/config';
import { sampleEngine } from '../helpers/assistant';

describe('evaluation', () => {
    describe('judging a case', () => {
        const cases = [
            { text: 'a', expect: ['missed-bin'] },
            { text: 'b', expect: ['missed-bin', 'new-bin'] },
            { text: 'c', expect: ['urgent'] },
            { text: 'd', expect: ['none'] },
            { text: 'e', expect: ['handoff'] },
        ];
        const results = [
            judge(cases[0]!, { outcome: 'answer', services: ['new-bin'] }),
            judge(cases[1]!, { outcome: 'clarify', services: ['pothole', 'new-bin'] }),
            judge(cases[2]!, { outcome: 'urgent', services: [] }),
            judge(cases[3]!, { outcome: 'clarify', services: ['pothole'] }),
            judge(cases[4]!, { outcome: 'not-known', services: [] }),
        ];

        it('counts an answer with an unexpected service as wrong', () => {
            expect(results[0]).to.include({ correct: false, wrong: true, reached: false });
        });

        it('counts a clarify that offers an expected service as reached, not correct', () => {
            expect(results[1]).to.include({ correct: false, wrong: false, reached: true });
        });

        it('takes either label of a list that names a service beside urgent, and counts it as a service case', () => {
            const mixed = { text: 'f', expect: ['pothole', 'urgent'] };
            expect(judge(mixed, { outcome: 'answer', services: ['pothole'] })).to.include({ correct: true });
            expect(judge(mixed, { outcome: 'urgent', services: [] })).to.include({ correct: true });
            expect(judge(mixed, { outcome: 'not-known', services: [] })).to.include({ correct: false });
            expect(summarise([mixed], [judge(mixed, { outcome: 'urgent', services: [] })]).counts).to.include({
                service: 1,
                urgent: 0,
            });
        });

        it('counts the closest services offered after a long message as reached, not correct', () => {
            const offered = judge(cases[0]!, {
                outcome: 'not-known',
                services: ['pothole', 'missed-bin'],
                reason: 'closest-offered',
            });
            expect(offered).to.include({ correct: false, wrong: false, reached: true });
        });

        it('summarises the rates', () => {
            const summary = summarise(cases, results);
            expect(summary).to.deep.include({
                cases: 5,
                top1: 0.2,
                wrongAnswers: 0.2,
                urgentRecall: 1,
                handoffRecall: 0,
            });
            expect(summary.noneHandled).to.equal(1);
            expect(summary.counts).to.deep.equal({ service: 2, urgent: 1, handoff: 1, none: 1 });
        });
    });

    describe('the shipped evaluation set, through the real bot', function () {
        this.timeout(120_000);
        const file = path.join(projectRoot, 'test', 'eval', 'cases.yaml');

        it('has at least 300 cases', () => {
            expect(loadEvaluationCases(file).length).to.be.at.least(300);
        });

        it('meets the accuracy bar: top-1 ≥ 90%, wrong ≤ 3%, urgent and handoff recall 100%', async () => {
            const { results, summary } = await evaluate(sampleEngine(), loadEvaluationCases(file));
            const missed = results.filter((r) => (r.expect === 'urgent' || r.expect === 'handoff') && !r.correct);
            expect(
                missed.map((r) => r.text),
                'urgent and handoff cases missed',
            ).to.deep.equal([]);
            expect(summary.top1).to.be.at.least(0.9);
            expect(summary.wrongAnswers).to.be.at.most(0.03);
        });
    });

    describe('the real-world held-out set, through the real bot', function () {
        this.timeout(120_000);
        const file = path.join(projectRoot, 'test', 'eval', 'real', 'heldout.yaml');

        // The figures reached on 2026-12-05 (top-1 64.2%, reached 79.5%, wrong 9.9%), less a case's worth: a change
        // that loses ground on real residents' wording fails here. Raise them when the assistant does better; never
        // tune on the set itself.
        it('stays at the figures reached: top-1, reached and wrong answers', async () => {
            const { summary } = await evaluate(sampleEngine(), loadEvaluationCases(file));
            expect(summary.top1, 'top-1').to.be.at.least(0.635);
            expect(summary.reached, 'reached').to.be.at.least(0.788);
            expect(summary.wrongAnswers, 'wrong answers').to.be.at.most(0.106);
        });
    });
});

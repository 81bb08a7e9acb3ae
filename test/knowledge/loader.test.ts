import { expect } from 'chai';
import { loadKnowledge } from '../../knowledge/loader';
import { KnowledgeCopy, loadError, sampleDir, where } from './knowledgeFixture';

const requiredServiceIds = [
    'bin-collection-day',
    'missed-bin',
    'new-bin',
    'garden-waste',
    'bulky-waste',
    'fly-tipping',
    'recycling-centre',
    'council-tax-pay',
    'council-tax-move',
    'council-tax-discount',
    'council-tax-support',
    'council-tax-band',
    'housing-benefit',
    'cost-of-living',
    'homeless',
    'housing-register',
    'housing-repairs',
    'private-rented-disrepair',
    'parking-permit',
    'parking-fine',
    'pothole',
    'street-lighting',
    'blue-badge',
    'planning-application',
    'planning-comment',
    'building-control',
    'noise-complaint',
    'pest-control',
    'dog-fouling',
    'abandoned-vehicle',
    'graffiti',
    'food-hygiene',
    'taxi-licence',
    'premises-licence',
    'births-deaths',
    'electoral-register',
    'business-rates',
    'adult-social-care',
    'report-child-concern',
    'school-admissions',
    'libraries',
    'home-improvement-agency',
    'complaint',
    'contact-us',
    'pay-invoice',
    'foi-request',
    'councillors',
    'jobs',
];

const waste = 'services/waste.yaml';

/** Eight phrases that no sample service uses, so a new service does not compete with the sample's phrases. */
const ownPhrases = [
    'zebra crossing paint',
    'zebra crossing faded',
    'repaint the zebra crossing',
    'zebra crossing lines worn',
    'belisha beacon broken',
    'belisha beacon not flashing',
    'crossing beacon light out',
    'zebra crossing unsafe',
];

describe('loadKnowledge', () => {
    let copy: KnowledgeCopy;

    beforeEach(() => {
        copy = new KnowledgeCopy();
    });

    afterEach(() => {
        copy.dispose();
    });

    describe('the shipped sample', () => {
        it('loads with at least 48 services, including every service the assistant is expected to know', () => {
            const knowledge = loadKnowledge(sampleDir);
            const ids = knowledge.services.map((s) => s.id);

            expect(knowledge.services.length).to.be.at.least(48);
            expect(ids).to.include.members(requiredServiceIds);
            expect(new Set(ids).size).to.equal(ids.length);
        });

        it('gives every service at least 8 phrases', () => {
            const short = loadKnowledge(sampleDir)
                .services.filter((s) => s.phrases.length < 8)
                .map((s) => s.id);

            expect(short).to.deep.equal([]);
        });

        it('fills in the defaults and remembers which file each service came from', () => {
            copy.replaceField(waste, 'new-bin', 'handoff', '    handoff:\n      team: waste\n');
            const knowledge = copy.load();
            const newBin = knowledge.services.find((s) => s.id === 'new-bin');

            expect(newBin?.file).to.equal(copy.shown(waste));
            expect(newBin?.customerType).to.equal('resident');
            expect(newBin?.handoff).to.deep.equal({ team: 'waste', always: false, needsAddress: false });
            expect(knowledge.council.timezone).to.equal('Europe/London');
        });
    });

    it('accepts a title written in English and Welsh', () => {
        copy.replace(
            waste,
            '    title: Report a missed bin collection\n',
            '    title:\n      en: Report a missed bin collection\n      cy: Rhoi gwybod am fin heb ei gasglu\n',
            'missed-bin',
        );

        const missedBin = copy.load().services.find((s) => s.id === 'missed-bin');

        expect(missedBin?.title).to.deep.equal({
            en: 'Report a missed bin collection',
            cy: 'Rhoi gwybod am fin heb ei gasglu',
        });
    });

    describe('reports each kind of mistake with its file, line, column and field', () => {
        it('reports a YAML syntax error where the parser stopped, with no field', () => {
            const title = copy.replace(
                waste,
                'title: Report a missed bin collection\n',
                'title: Bins: report a missed bin\n',
                'missed-bin',
            );

            const error = loadError(copy);

            // The parser points at the value that holds the unquoted colon.
            const at = { line: title.line, column: title.column + 'title: '.length };
            expect(error.message).to.include(`${where(copy, waste, at, '')}: not valid YAML: `);
            expect(error.problems.find((p) => p.message.startsWith('not valid YAML'))).to.include({
                file: copy.shown(waste),
                line: at.line,
                column: at.column,
                field: '',
            });
        });

        it('reports phrases written as a string instead of a list', () => {
            const index = copy.indexOfId(waste, 'missed-bin');
            const at = copy.replaceField(waste, 'missed-bin', 'phrases', '    phrases: my bin was not emptied\n');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, at, `services[${index}].phrases`)}: expected array, received string`,
            );
        });

        it('reports a missing required field at the service that lacks it', () => {
            const index = copy.indexOfId(waste, 'missed-bin');
            copy.replaceField(waste, 'missed-bin', 'answer', '');
            // A missing field has no position of its own, so the loader points at the service's first key.
            const service = copy.locate(waste, 'id: missed-bin');

            const error = loadError(copy);

            expect(error.message).to.include(`${where(copy, waste, service, `services[${index}].answer`)}: missing`);
            // Only the real mistake: the broken service's id is still known to related ids and top tasks elsewhere.
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports an unknown field, such as "phrase" for "phrases", by name', () => {
            const index = copy.indexOfId(waste, 'new-bin');
            const key = copy.replace(waste, 'phrases:\n', 'phrase:\n', 'new-bin');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, key, `services[${index}].phrase`)}: unknown field "phrase" (check the spelling)`,
            );
            // The real field is then missing too.
            expect(error.message).to.include(`services[${index}].phrases: `);
        });

        it('reports a service with fewer than 8 phrases', () => {
            const index = copy.indexOfId(waste, 'missed-bin');
            const seven = ownPhrases.slice(0, 7).map((p) => `      - ${p}\n`);
            const at = copy.replaceField(waste, 'missed-bin', 'phrases', `    phrases:\n${seven.join('')}`);

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, at, `services[${index}].phrases`)}: expected at least 8 phrases`,
            );
        });

        it('reports a link whose URL is not an http(s) URL', () => {
            const index = copy.indexOfId(waste, 'missed-bin');
            const at = copy.replace(
                waste,
                'url: https://www.anytown.gov.uk/bins/missed\n',
                'url: www.anytown.gov.uk/bins/missed\n',
                'missed-bin',
            );

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, at, `services[${index}].links[0].url`)}: expected an http(s) URL`,
            );
        });

        it('reports a phone number that is not a UK number', () => {
            const at = copy.replace('council.yaml', '\nphone: 01632 960000\n', '\nphone: 01632 96OOOO\n');
            const key = { line: at.line + 1, column: 1 };

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, 'council.yaml', key, 'phone')}: expected a UK phone number`,
            );
        });

        it('reports a language map without an "en" entry', () => {
            const index = copy.indexOfId(waste, 'missed-bin');
            const at = copy.replace(
                waste,
                'title: Report a missed bin collection\n',
                'title: { cy: Rhoi gwybod am fin heb ei gasglu }\n',
                'missed-bin',
            );

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, at, `services[${index}].title`)}: expected an "en" entry in the language map`,
            );
            expect(error.problems.filter((p) => p.file === copy.shown(waste))).to.have.lengthOf(1);
        });

        it('reports a service id used in two files at the second one, naming the first', () => {
            // Files load in name order, so the pothole in roads-and-parking.yaml comes first.
            const index = copy.indexOfId(waste, 'missed-bin');
            const firstIndex = copy.indexOfId('services/roads-and-parking.yaml', 'pothole');
            const key = copy.replace(waste, 'id: missed-bin\n', 'id: pothole\n');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, key, `services[${index}].id`)}: duplicate id "pothole" ` +
                    `(also at ${copy.shown('services/roads-and-parking.yaml')}:services[${firstIndex}])`,
            );
        });

        it('reports a related service id that does not exist, at the exact list item', () => {
            const index = copy.indexOfId(waste, 'bin-collection-day');
            copy.replace(
                waste,
                'garden-waste, recycling-centre]',
                'garden-wastes, recycling-centre]',
                'bin-collection-day',
            );
            const at = copy.locate(waste, 'garden-wastes');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, at, `services[${index}].related[1]`)}: unknown service id "garden-wastes"`,
            );
        });

        it('reports a hand-off to a team that council.yaml does not list', () => {
            const index = copy.indexOfId(waste, 'new-bin');
            const key = copy.replace(waste, 'team: waste\n', 'team: bins\n', 'new-bin');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, key, `services[${index}].handoff.team`)}: unknown team "bins"`,
            );
        });

        it('reports a phrase claimed by two services when the words match after normalisation', () => {
            // missed-bin comes before new-bin in waste.yaml, so it owns the phrase and new-bin is reported.
            copy.replace(waste, '    phrases:\n', '    phrases:\n      - missed bin\n', 'missed-bin');
            const index = copy.indexOfId(waste, 'new-bin');
            copy.replace(waste, '    phrases:\n', '    phrases:\n      - Missed bins!\n', 'new-bin');
            const item = copy.locate(waste, 'Missed bins!');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, waste, item, `services[${index}].phrases[0]`)}: phrase "Missed bins!" is also ` +
                    'claimed by service "missed-bin" ("missed bin")',
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports a top task in council.yaml that is not a service', () => {
            const at = copy.replace('council.yaml', '  - pothole\n', '  - potholes\n');
            const item = { line: at.line, column: 5 };
            const topTasks = copy.read('council.yaml').split('\ntopTasks:\n')[1] ?? '';
            const index = [...topTasks.matchAll(/^ {2}- ([a-z0-9-]+)$/gm)].map((m) => m[1]).indexOf('potholes');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, 'council.yaml', item, `topTasks[${index}]`)}: unknown service id "potholes"`,
            );
        });

        it('reports a safety phrase that is in two rules', () => {
            const safety = 'safety.yaml';
            const gas = '  - id: gas-leak\n    title: Gas leak or carbon monoxide\n    phrases:\n';
            const homeless = '  - id: homeless-tonight\n    title: Homeless or sleeping rough tonight\n    phrases:\n';
            copy.replace(safety, gas, `${gas}      - gas smell in the hallway\n`);
            copy.replace(safety, homeless, `${homeless}      - Gas smell in the hallway!\n`);
            const item = copy.locate(safety, 'Gas smell in the hallway!');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, safety, item, `rules[${copy.indexOfId(safety, 'homeless-tonight')}].phrases[0]`)}: ` +
                    'phrase "Gas smell in the hallway!" is also in rule "gas-leak"',
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports a phrase that uses an unknown word list, at that phrase', () => {
            const safety = 'safety.yaml';
            const gas = '  - id: gas-leak\n    title: Gas leak or carbon monoxide\n    phrases:\n';
            copy.replace(safety, gas, `${gas}      - '{nosuchlist} smells of gas'\n`);
            const item = copy.locate(safety, "'{nosuchlist} smells of gas'");

            const error = loadError(copy);

            expect(error.message).to.include(
                `${where(copy, safety, item, `rules[${copy.indexOfId(safety, 'gas-leak')}].phrases[0]`)}: ` +
                    'unknown word list "{nosuchlist}"',
            );
        });

        it('reports a live chat agent line without {text}, where what the adviser typed would be lost', () => {
            copy.replace(
                'conversation.yaml',
                "agentLine: '{agent}, {team} adviser: {text}'",
                "agentLine: '{agent} says'",
            );

            const error = loadError(copy);

            expect(error.message).to.include('liveChat.agentLine');
            expect(error.message).to.include('expected {text} where what the adviser typed goes');
        });

        it('reports a missing conversation.yaml at line 1, column 1', () => {
            copy.remove('conversation.yaml');

            const error = loadError(copy);

            expect(error.message).to.include(
                `${copy.shown('conversation.yaml')}:1:1: missing: expected the assistant's own words`,
            );
            expect(error.problems).to.have.lengthOf(1);
        });

        it('reports every problem in one error, across files', () => {
            const phone = copy.replace('council.yaml', '\nphone: 01632 960000\n', '\nphone: call us\n');
            const url = copy.replace(
                waste,
                'url: https://www.anytown.gov.uk/bins/missed\n',
                'url: anytown.gov.uk/bins/missed\n',
                'missed-bin',
            );
            const index = copy.indexOfId(waste, 'missed-bin');

            const error = loadError(copy);

            expect(error.problems).to.have.lengthOf(2);
            expect(error.message).to.match(/^The knowledge folder has 2 problems:\n/);
            expect(error.message).to.include(
                `${where(copy, 'council.yaml', { line: phone.line + 1, column: 1 }, 'phone')}: `,
            );
            expect(error.message).to.include(`${where(copy, waste, url, `services[${index}].links[0].url`)}: `);
        });
    });
});

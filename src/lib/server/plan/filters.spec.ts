import { describe, expect, it } from 'vitest';
import { labelsHoldingSearch, parseAxisFilter, parseFicheFilters } from './filters';

const vocab = {
	axes: ['performance', 'solidarite', 'modernite'],
	orientations: ['teleservices', 'e-inclusion'],
	objectives: [1, 2, 10, 17],
	organisations: ['cdg46', 'lot-numerique']
};
const parse = (query: string) => parseFicheFilters(new URLSearchParams(query), vocab);

describe('parseFicheFilters', () => {
	it('reads every known filter', () => {
		expect(
			parse(
				'axe=modernite&orientation=e-inclusion&objectif=10&priorite=1&statut=en_cours&organisation=cdg46&q=Tiers-Lieux'
			)
		).toEqual({
			query: {
				axis: 'modernite',
				orientation: 'e-inclusion',
				objective: 10,
				priority: 1,
				status: 'en_cours',
				organisation: 'cdg46',
				// A hyphenated word kept whole: its parts in a row, or joined (searchForms).
				text: 'tiers-lieux'
			},
			values: {
				axis: 'modernite',
				orientation: 'e-inclusion',
				objective: '10',
				priority: '1',
				status: 'en_cours',
				organisation: 'cdg46',
				text: 'Tiers-Lieux'
			},
			ignored: []
		});
	});

	it('ignores empty values silently', () => {
		expect(parse('axe=&priorite=&q=%20%20')).toEqual({ query: {}, values: {}, ignored: [] });
	});

	it.each([
		['axe=futur', 'Axe inconnu « futur »'],
		['orientation=../../etc', 'Orientation inconnue'],
		['objectif=3', 'Objectif inconnu « 3 »'],
		['objectif=1e1', 'Objectif inconnu'],
		['objectif=-1', 'Objectif inconnu'],
		['priorite=3', 'Priorité « 3 » invalide'],
		['priorite=NaN', 'Priorité « NaN » invalide'],
		['statut=fini', 'Statut inconnu « fini »'],
		['organisation=%3Cscript%3E', 'Organisation inconnue « <script> »'],
		[`q=${'x'.repeat(201)}`, 'Recherche trop longue']
	])('ignores %s with a French note', (query, note) => {
		const result = parse(query);
		expect(result.query).toEqual({});
		expect(result.ignored).toHaveLength(1);
		expect(result.ignored[0]).toContain(note);
	});

	it('never copies a control or direction character of the address into a notice', () => {
		// C0 controls, DEL, a C1 control (NEL) and two that turn the text's direction (U+202E, U+2066),
		// alone or amid a value.
		for (const control of [
			'%00',
			'%01',
			'%07',
			'%09',
			'%0A',
			'%1B',
			'%1F',
			'%7F',
			'%C2%85',
			'%E2%80%AE',
			'%E2%81%A6'
		]) {
			const result = parse(
				[
					`organisation=a${control}b`,
					`axe=${control}x`,
					`orientation=${control}`,
					`objectif=${control}`,
					`priorite=1${control}`,
					`statut=${control}${control}`
				].join('&')
			);
			// A tab or line break alone is trimmed away: the filter is then empty, ignored silently.
			expect(result.ignored.length, control).toBeGreaterThanOrEqual(2);
			for (const note of result.ignored)
				expect(note, control).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
		}
		expect(parse('organisation=a%00%1Bb&axe=%00').ignored).toEqual([
			'Axe inconnu : filtre ignoré.',
			'Organisation inconnue « a b » : filtre ignoré.'
		]);
	});

	it('says a withdrawn axis, orientation or objective was withdrawn', () => {
		const withdrawn = new Set(['axis:ancien', 'orientation:abandonnee', 'objective:18']);
		const result = parseFicheFilters(
			new URLSearchParams('axe=ancien&orientation=abandonnee&objectif=18'),
			{ ...vocab, withdrawn }
		);
		expect(result.query).toEqual({});
		expect(result.ignored).toEqual([
			'Axe « ancien » retiré du plan : filtre ignoré.',
			'Orientation « abandonnee » retirée du plan : filtre ignoré.',
			'Objectif 18 retiré du plan : filtre ignoré.'
		]);
	});

	it('keeps the first of repeated values and says so', () => {
		const result = parse('priorite=2&priorite=1');
		expect(result.query).toEqual({ priority: 2 });
		expect(result.ignored[0]).toContain('plusieurs fois');
	});

	it('applies the valid filters next to invalid ones', () => {
		const result = parse('axe=modernite&statut=inconnu');
		expect(result.query).toEqual({ axis: 'modernite' });
		expect(result.ignored).toHaveLength(1);
	});

	it('truncates long unknown values in the note', () => {
		const result = parse(`axe=${'a'.repeat(150)}`);
		expect(result.ignored[0]!.length).toBeLessThan(100);
	});

	it('reads a fiche’s code as that fiche, and says when the search has nothing to look for', () => {
		for (const typed of [
			'1-1',
			' 1 - 1 ',
			'01‑1',
			'1–1',
			'1.1',
			'fiche 1-1',
			'Fiche-action n° 1-1',
			'fiche action no 1.1',
			'fiche action nº 1-1',
			'fiche action numéro 1-1',
			'fiche n. 1-1',
			'fiche-action 1-1.',
			'« fiche 1-1 »',
			'n° 1-1'
		])
			expect(parse(`q=${encodeURIComponent(typed)}`).query).toEqual({ code: '1-1' });
		expect(parse('q=tiers-lieux').query).toEqual({ text: 'tiers-lieux' });
		expect(parse('q=wi-%20fi').query).toEqual({ text: 'wi fi' });
		expect(parse('q=fiche%20tiers').query).toEqual({ text: 'fiche tiers' });
		const nothing = parse(`q=${encodeURIComponent('"*%')}`);
		expect(nothing.query).toEqual({});
		expect(nothing.ignored).toEqual(['Recherche « "*% » sans lettre ni chiffre : texte ignoré.']);
	});

	it('replaces control characters in the search text', () => {
		expect(parse('q=wifi%00%1F').query).toEqual({ text: 'wifi' });
	});

	it('drops an orientation or objective that contradicts the chosen axis, with a note', () => {
		const parents = {
			orientationAxis: new Map([
				['teleservices', 'performance'],
				['e-inclusion', 'solidarite']
			]),
			objectiveOrientation: new Map([
				[1, 'teleservices'],
				[10, 'e-inclusion']
			]),
			// Walkthrough s46: the note named the orientation by its slug.
			orientationLabel: new Map([['e-inclusion', 'E-inclusion']])
		};
		const parsed = parseFicheFilters(
			new URLSearchParams('axe=performance&orientation=e-inclusion&objectif=10'),
			{ ...vocab, parents }
		);
		expect(parsed.query).toEqual({ axis: 'performance' });
		expect(parsed.ignored).toEqual([
			'L’orientation « E-inclusion » n’appartient pas à l’axe choisi : filtre ignoré.',
			'L’objectif 10 n’appartient pas à l’axe ou à l’orientation choisis : filtre ignoré.'
		]);
		expect(
			parseFicheFilters(new URLSearchParams('axe=solidarite&objectif=10'), { ...vocab, parents })
				.query
		).toEqual({ axis: 'solidarite', objective: 10 });
	});
});

describe('labelsHoldingSearch', () => {
	const structure = {
		axes: [
			{
				code: 'performance',
				shortName: 'performance',
				label: 'Transformation vers l’e-administration',
				position: 1
			},
			{
				code: 'modernite',
				shortName: 'modernité',
				label: 'Développement de l’innovation',
				position: 3
			}
		],
		orientations: [
			{
				code: 'teleservices',
				axis: 'performance',
				label: 'Téléservices publics et e-citoyenneté',
				position: 1
			},
			{ code: 'open-innovation', axis: 'modernite', label: 'Open innovation', position: 5 }
		],
		objectives: [
			{
				number: 4,
				orientation: 'teleservices',
				label: 'Développer l’e-citoyenneté',
				synthesisLabel: null
			}
		]
	};
	const held = (typed: string) =>
		labelsHoldingSearch(parse(`q=${encodeURIComponent(typed)}`).query.text!, structure);

	it('names the axes, orientations and objectives whose label holds the search, with their filter', () => {
		expect(held('e-administration')).toEqual([
			{
				level: 'axe',
				number: 1,
				label: 'Transformation vers l’e-administration',
				href: '/fiches?axe=performance#resultats'
			}
		]);
		// Read as the fiches’ search reads: any case and accents, a hyphen or not, word starts.
		expect(held('E CITOYENNETE').map((l) => l.href)).toEqual([
			'/fiches?orientation=teleservices#resultats',
			'/fiches?objectif=4#resultats'
		]);
		expect(held('innov').map((l) => [l.level, l.number])).toEqual([
			['axe', 3],
			['orientation', null]
		]);
		expect(held('novation')).toEqual([]);
		expect(held('innovation sociale')).toEqual([]);
	});
});

describe('parseAxisFilter', () => {
	const axes = { axes: vocab.axes };
	it('keeps a known axis, the first when repeated, and notes what it left aside', () => {
		expect(parseAxisFilter(new URLSearchParams('axe=modernite'), axes)).toEqual({
			axis: 'modernite',
			ignored: []
		});
		expect(parseAxisFilter(new URLSearchParams('axe=performance&axe=modernite'), axes)).toEqual({
			axis: 'performance',
			ignored: [
				'Le filtre « axe » a été donné plusieurs fois : seule la première valeur est retenue.'
			]
		});
		expect(parseAxisFilter(new URLSearchParams('axe=x&axe='), axes)).toEqual({
			ignored: ['Axe inconnu « x » : filtre ignoré.']
		});
		expect(parseAxisFilter(new URLSearchParams(''), axes)).toEqual({ ignored: [] });
	});
});

import { describe, expect, it } from 'vitest';
import { formatDate, formatNumberInput } from '../utils/format';
import { MEASUREMENT_COMMENT_HINT } from './limits';
import { isCountIndicator } from '../utils/indicators';
import { progressFormData } from '../server/progress/testing';
import {
	DONE_REQUIRED,
	numberProblem,
	parseDecimal,
	parseProgressForm,
	readIndicatorValue
} from './progress-update';

const INDICATORS = [
	{ id: 1, label: 'Nombre de communes ayant installé une borne wifi', unit: 'communes' },
	{ id: 2, label: 'Gain d’efficacité du service et économies réalisées', unit: null },
	{ id: 3, label: 'Satisfaction des usagers', unit: 'personnes' }
];

const form = progressFormData;

describe('what a draft may leave out', () => {
	it('saves a draft, or my version in place of another, without « Ce qui a été fait »; a submission needs it', () => {
		for (const intent of ['draft', 'replace']) {
			const parsed = parseProgressForm(form({ done: '  ', intent }), INDICATORS, '2026-03-01');
			expect(parsed.errors).toEqual({});
			expect(parsed.input?.done).toBe('  ');
		}
		const submitted = parseProgressForm(
			form({ done: ' \n ', intent: 'submit' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(submitted.input).toBeUndefined();
		expect(submitted.errors).toEqual({ done: DONE_REQUIRED });
	});

	it('still refuses in a draft what cannot be kept: a wrong number or date, too long a text', () => {
		const parsed = parseProgressForm(
			form({
				done: '',
				progress: '140',
				reported_on: '2026-02-30',
				next_steps: 'x'.repeat(10_001),
				indicator_1_date: '2026-02-01',
				indicator_1_value: 'douze'
			}),
			INDICATORS,
			'2026-03-01'
		);
		expect(Object.keys(parsed.errors).sort()).toEqual([
			'indicator_1_value',
			'next_steps',
			'progress',
			'reported_on'
		]);
	});
});

describe('indicator values', () => {
	it('refuses a negative value for a count indicator, with a French message, keeping the typing', () => {
		const parsed = parseProgressForm(
			form({ indicator_1_date: '2026-02-01', indicator_1_value: '-3' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(parsed.input).toBeUndefined();
		expect(parsed.errors.indicator_1_value).toBe(
			'Cet indicateur compte quelque chose : sa valeur ne peut pas être négative.'
		);
		expect(parsed.values.indicator_1_value).toBe('-3');
		expect(
			parseProgressForm(
				form({ indicator_3_date: '2026-02-01', indicator_3_value: '-1' }),
				INDICATORS,
				'2026-03-01'
			).errors.indicator_3_value
		).toContain('ne peut pas être négative');
	});

	it('says the comment’s limit in its hint, before anything is typed', () => {
		expect(MEASUREMENT_COMMENT_HINT).toBe(
			'publié avec la mesure sur la page de la fiche\u202f; 2\u202f000 caractères au plus'
		);
	});

	it('takes a measurement comment of 2 000 characters, not one more', () => {
		const withComment = (length: number) =>
			parseProgressForm(
				form({
					indicator_1_date: '2026-02-01',
					indicator_1_value: '3',
					indicator_1_comment: 'é'.repeat(length)
				}),
				INDICATORS,
				'2026-03-01'
			);
		expect(withComment(2000).errors).toEqual({});
		expect(withComment(2000).input?.measurements[0]?.comment).toHaveLength(2000);
		expect(withComment(2100).errors.indicator_1_comment).toBe(
			'Le commentaire : 2\u202f000 caractères au plus (2\u202f100 saisis, 100 de trop).'
		);
	});

	it('names the character a measurement comment may not hold, and where it is', () => {
		const parsed = parseProgressForm(
			form({
				indicator_1_date: '2026-02-01',
				indicator_1_value: '3',
				indicator_1_comment: 'Formés \u202E0001 agents'
			}),
			INDICATORS,
			'2026-03-01'
		);
		expect(parsed.errors.indicator_1_comment).toBe(
			'Le commentaire contient un caractère non autorisé : U+202E (inversion de sens), 8e caractère.'
		);
	});

	it('counts characters as the person typing does: 6 000 emojis are 6 000, within 10 000', () => {
		const parsed = parseProgressForm(
			form({ done: '🎉'.repeat(6000), indicator_1_date: '2026-02-01', indicator_1_value: '3' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(parsed.errors).toEqual({});
		expect(
			parseProgressForm(form({ done: '🎉'.repeat(10_001) }), INDICATORS, '2026-03-01').errors.done
		).toBe('Ce qui a été fait : 10\u202f000 caractères au plus (10\u202f001 saisis, 1 de trop).');
	});

	it('says what is wrong with a progress or a value, rather than a rule that was kept', () => {
		const progress = (typed: string) =>
			parseProgressForm(form({ progress: typed }), INDICATORS, '2026-03-01');
		// « 40 % » is 40: the sign is what people write.
		expect(progress('40 %').input?.progress).toBe(40);
		expect(progress('40\u202f%').input?.progress).toBe(40);
		expect(progress('40,5').errors.progress).toBe(
			'L’avancement est un nombre entier de 0 à 100, sans décimale.'
		);
		expect(progress('quarante').errors.progress).toBe(
			'L’avancement est un nombre entier de 0 à 100 (exemple : 40).'
		);
		expect(progress('150').errors.progress).toBe('L’avancement est un pourcentage entre 0 et 100.');
		expect(progress('quarante').values.progress).toBe('quarante');
		expect(progress('%').errors.progress).toBe(
			'L’avancement est un nombre entier de 0 à 100 (exemple : 40).'
		);
		expect(progress('').input?.progress).toBeNull();
		const big = parseProgressForm(
			form({ indicator_1_date: '2026-02-01', indicator_1_value: '99999999999999999999' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(big.errors.indicator_1_value).toBe(
			'La valeur compte au plus 12 chiffres avant la virgule.'
		);
		const fine = parseProgressForm(
			form({ indicator_1_date: '2026-02-01', indicator_1_value: '3,1234567' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(fine.errors.indicator_1_value).toBe('La valeur compte au plus 6 décimales.');
	});

	// Hostile probe s45: 12 digits and 6 decimals were accepted, 123456789012.123456 stored as
	// 123456789012.12346 (a double holds 15 significant digits as typed, not always 18).
	it('refuses a value a number would not keep as typed', () => {
		const TOO_MANY =
			'La valeur a trop de chiffres pour être gardée telle que saisie : 15 chiffres en tout, avant et après la virgule, le sont toujours (par exemple 12 avant et 3 après).';
		for (const typed of ['123456789012,123456', '123456789012,12345', '999999999999,999999']) {
			expect(parseDecimal(typed), typed).toBeNaN();
			expect(numberProblem(typed), typed).toBe(TOO_MANY);
		}
		const refused = parseProgressForm(
			form({ indicator_1_date: '2026-02-01', indicator_1_value: '123 456 789 012,123456' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(refused.errors.indicator_1_value).toBe(TOO_MANY);
		// Fifteen always, leading zeros and zeros after the last decimal not counted.
		expect(parseDecimal('123456789012,123')).toBe(123456789012.123);
		expect(parseDecimal('123456789,123456')).toBe(123456789.123456);
		expect(parseDecimal('123456789012,100000')).toBe(123456789012.1);
		expect(parseDecimal('-0,000001')).toBe(-0.000001);
		expect(parseDecimal('007,5')).toBe(7.5);
		// A leading « + » is a number's sign, the rest read as without it (« +1,000 » as « 1,000 »).
		expect(parseDecimal('+7')).toBe(7);
		expect(parseDecimal('+12,5')).toBe(12.5);
		expect(parseDecimal('+1 250')).toBe(1250);
		expect(parseDecimal('+1,000')).toBeNaN();
		for (const typed of ['++7', '+-7', '+', '+ 7']) expect(parseDecimal(typed), typed).toBeNaN();
		// More when a number keeps them (second read-back s45): a fiche whose target the forms took
		// before they counted digits is saved again without retyping it.
		expect(parseDecimal('1234567890,123456')).toBe(1234567890.123456);
		expect(parseDecimal('100000000000,0001')).toBe(100000000000.0001);
	});

	it('accepts a negative value where the indicator may go below zero, and zero for a count', () => {
		const parsed = parseProgressForm(
			form({
				indicator_1_date: '2026-02-01',
				indicator_1_value: '0',
				indicator_2_date: '2026-02-01',
				indicator_2_value: '-1500,5'
			}),
			INDICATORS,
			'2026-03-01'
		);
		expect(parsed.errors).toEqual({});
		expect(parsed.input?.measurements.map((m) => m.value)).toEqual([0, -1500.5]);
	});

	it('tells counts by label or unit', () => {
		expect(isCountIndicator({ label: 'Nombre d’utilisateurs', unit: null })).toBe(true);
		expect(isCountIndicator({ label: 'Bornes', unit: 'communes' })).toBe(true);
		expect(isCountIndicator({ label: 'Budget', unit: 'euros' })).toBe(false);
		expect(isCountIndicator({ label: 'Taux de couverture', unit: '%' })).toBe(false);
		expect(isCountIndicator({ label: 'Fréquence d’utilisation', unit: null })).toBe(false);
	});
});

describe('a value with a point or a comma before three digits', () => {
	it('is refused, saying both readings, where 1,25 and 1250 are taken as typed', () => {
		expect(parseDecimal('1.250')).toBeNaN();
		expect(numberProblem('1.250')).toBe(
			'« 1.250 » se lit de deux façons : écrivez 1250 ou 1\u00a0250, sans point ni virgule, pour un nombre entier ; ou 1,25 pour des décimales.'
		);
		expect(parseDecimal('1,25')).toBe(1.25);
		expect(parseDecimal('1 250')).toBe(1250);
		expect(parseDecimal('1.25')).toBe(1.25);
		expect(parseDecimal('1250.5')).toBe(1250.5);
		// A lone 0 is never followed by a thousands separator: one reading only.
		expect(parseDecimal('0.250')).toBe(0.25);
		expect(parseDecimal('-0.500')).toBe(-0.5);
	});

	// Walkthrough s46: « 1,000 » pasted from an English spreadsheet was stored 1.
	it('refuses « 1,000 » and « 12,345 » as it refuses « 1.250 »', () => {
		for (const typed of ['1,000', '12,345', '-1,500', '1,257'])
			expect(parseDecimal(typed), typed).toBeNaN();
		expect(numberProblem('1,000')).toBe(
			'« 1,000 » se lit de deux façons : écrivez 1000 ou 1\u00a0000, sans point ni virgule, pour un nombre entier ; ou 1,0 pour des décimales.'
		);
		expect(numberProblem('1,257')).toContain('ou 1,2570 pour des décimales.');
		expect(numberProblem('1,000', 'count')).toBe(numberProblem('1,000'));
		const count = parseProgressForm(
			form({ indicator_1_date: '2026-02-01', indicator_1_value: '1,000' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(count.errors.indicator_1_value).toContain('se lit de deux façons');
	});

	it('reads it as decimals where the kind allows no thousands', () => {
		// A percentage of 1,000 is 1 %: 1000 % is no percentage.
		expect(readIndicatorValue('percentage', '1,000')).toBe(1);
		expect(readIndicatorValue('percentage', '12.500 %')).toBe(12.5);
		expect(readIndicatorValue('count', '1,000')).toBeNaN();
		expect(readIndicatorValue('amount', '1,500 €')).toBeNaN();
		// More decimals, or a separator that is no thousands one, read as before.
		expect(parseDecimal('1,5')).toBe(1.5);
		expect(parseDecimal('1,2345')).toBe(1.2345);
		expect(parseDecimal('1000,000')).toBe(1000);
	});
});

describe('a value shown for editing', () => {
	// Read-back s46: 12.125 stored was shown « 12,125 » in the fiche form and a returned update,
	// then refused as reading two ways when saved again.
	it('reads back as the value it shows', () => {
		for (const kind of ['count', 'amount', 'percentage', null] as const)
			for (const value of [12.125, 1.25, 999.999, 1250.5, 0.125])
				expect(readIndicatorValue(kind, formatNumberInput(value)), `${kind} ${value}`).toBe(value);
	});
});

describe('spaces in a value', () => {
	it('are thousands separators between groups of three digits, and nothing else', () => {
		expect(parseDecimal('1 000')).toBe(1000);
		expect(parseDecimal('12 345 678')).toBe(12345678);
		expect(parseDecimal('1\u202f000,5')).toBe(1000.5);
		expect(parseDecimal('-1\u00a0000')).toBe(-1000);
		expect(parseDecimal(' 1 000 ')).toBe(1000);
		// Walkthrough s46: « 1 0 0 » was read 100.
		for (const typed of ['1 0 0', '10 00', '1 0000', '1 000 00', '1, 5', '1 ,5', '1,5 0', '- 5'])
			expect(parseDecimal(typed), typed).toBeNaN();
		expect(numberProblem('1 0 0')).toBe(
			'Les espaces ne séparent que les milliers, par groupes de trois chiffres (exemples : 1\u00a0000 ou 12\u00a0345\u00a0678).'
		);
	});
});

describe('a count', () => {
	// Walkthrough s46 asked « 12,5 » refused for « Nombre d’utilisateurs »; but « Nombre » is every
	// indicator's kind by default, a satisfaction or savings one included: decimals stay allowed.
	it('takes decimals, never a negative value', () => {
		const parsed = parseProgressForm(
			form({ indicator_1_date: '2026-02-01', indicator_1_value: '12,5' }),
			INDICATORS,
			'2026-03-01'
		);
		expect(parsed.errors.indicator_1_value).toBeUndefined();
		expect(numberProblem('douze', 'count')).toBe(
			'La valeur doit être un nombre (exemple : 12 ou 12,5).'
		);
	});
});

describe('the form date', () => {
	it('accepts today in Paris and refuses tomorrow', () => {
		expect(parseProgressForm(form({ reported_on: '2026-12-01' }), [], '2026-12-01').errors).toEqual(
			{}
		);
		expect(
			parseProgressForm(form({ reported_on: '2026-12-02' }), [], '2026-12-01').errors.reported_on
		).toBe(
			'La date de la mise à jour ne peut pas être dans le futur : au plus tard aujourd’hui, le 1er\u00a0décembre\u00a02026.'
		);
	});

	// Review s58: « n’est pas une date valide (jj/mm/aaaa) » quoted a format a date field never shows
	// (and answered 07/12/2026 with it), and « ne peut pas précéder 2018 » no day.
	it('says a date not read with the writing that is read, and its bounds with their days', () => {
		const dateErrors = (reportedOn: string, measuredOn: string) => {
			const { errors } = parseProgressForm(
				form({ reported_on: reportedOn, indicator_1_date: measuredOn, indicator_1_value: '3' }),
				INDICATORS,
				'2026-12-01'
			);
			return [errors.reported_on, errors.indicator_1_date];
		};
		const tail =
			' n’a pas pu être lue comme un jour du calendrier : choisissez-la dans le calendrier du champ ou, sans calendrier, écrivez l’année, le mois puis le jour (2026-12-07 pour le 7\u00a0décembre\u00a02026).';
		expect(dateErrors('31/02/2026', '07/12/2026')).toEqual([
			`La date de la mise à jour${tail}`,
			`La date de la mesure${tail}`
		]);
		expect(dateErrors('2017-12-31', '2017-06-30')).toEqual([
			'La date de la mise à jour ne peut pas précéder le 1er\u00a0janvier\u00a02018.',
			'La date de la mesure ne peut pas précéder le 1er\u00a0janvier\u00a02018.'
		]);
	});

	it('takes « replace » with the version shown on the conflict screen', () => {
		const parsed = parseProgressForm(
			form({ intent: 'replace', version: '1', replace_version: '4' }),
			[],
			'2026-03-01'
		);
		expect(parsed.input).toMatchObject({ intent: 'replace', version: 4 });
	});
});

describe('indicator kinds where partners enter measurements', () => {
	const KINDS = [
		{ id: 1, label: 'Communes équipées', unit: 'communes', kind: 'count' as const },
		{ id: 2, label: 'Taux de couverture', unit: '%', kind: 'percentage' as const },
		{ id: 3, label: 'Service ouvert', unit: null, kind: 'boolean' as const },
		{ id: 4, label: 'Montant des subventions', unit: '€', kind: 'amount' as const }
	];
	const entry = (id: number, value: string) => ({
		[`indicator_${id}_date`]: '2026-02-01',
		[`indicator_${id}_value`]: value
	});

	it('keeps a percentage within 0–100 and a yes/no to 0 or 1, in French, keeping the typing', () => {
		const parsed = parseProgressForm(
			form({ ...entry(1, '-2'), ...entry(2, '101'), ...entry(3, '2') }),
			KINDS,
			'2026-03-01'
		);
		expect(parsed.input).toBeUndefined();
		expect(parsed.errors.indicator_1_value).toContain('ne peut pas être négative');
		expect(parsed.errors.indicator_2_value).toContain('entre 0 et 100');
		expect(parsed.errors.indicator_3_value).toBe(
			'Cet indicateur se lit oui ou non : écrivez « oui » ou « non » (ou 1 ou 0).'
		);
		expect(parsed.values.indicator_2_value).toBe('101');
	});

	it('accepts values that fit', () => {
		const parsed = parseProgressForm(
			form({ ...entry(1, '0'), ...entry(2, '99,5'), ...entry(3, '1') }),
			KINDS,
			'2026-03-01'
		);
		expect(parsed.errors).toEqual({});
		expect(parsed.input?.measurements.map((m) => m.value)).toEqual([0, 99.5, 1]);
	});

	it('reads « oui » and « non » for a yes/no, and « 45 % » for a percentage, as the public pages write them', () => {
		const yes = parseProgressForm(
			form({ ...entry(2, '45 %'), ...entry(3, ' Oui ') }),
			KINDS,
			'2026-03-01'
		);
		expect(yes.errors).toEqual({});
		expect(yes.input?.measurements.map((m) => m.value)).toEqual([45, 1]);
		const no = parseProgressForm(form(entry(3, 'non')), KINDS, '2026-03-01');
		expect(no.input?.measurements.map((m) => m.value)).toEqual([0]);
		// Anything else is told in the indicator's own words, not « un nombre (exemple : 12,5) ».
		const maybe = parseProgressForm(form(entry(3, 'peut-être')), KINDS, '2026-03-01');
		expect(maybe.errors.indicator_3_value).toMatch(/^Cet indicateur se lit oui ou non/);
		// A count still takes no « % ».
		expect(
			parseProgressForm(form(entry(1, '45 %')), KINDS, '2026-03-01').errors.indicator_1_value
		).toMatch(/doit être un nombre/);
	});

	it('reads « 1 500 € » on an amount (its field says « en euros »), and says which forms it reads', () => {
		const amount = (typed: string) => parseProgressForm(form(entry(4, typed)), KINDS, '2026-03-01');
		for (const typed of ['1 500 €', '1\u202f500\u00a0€', '1500€', '1 500'])
			expect(amount(typed).input?.measurements.map((m) => m.value)).toEqual([1500]);
		expect(amount('1 500 $').errors.indicator_4_value).toBe(
			'La valeur doit être un montant écrit en chiffres (exemples : 1 500, 1 500 € ou 12,50).'
		);
		expect(amount('1.500 €').errors.indicator_4_value).toMatch(/se lit de deux façons/);
		expect(
			parseProgressForm(form(entry(2, 'moitié')), KINDS, '2026-03-01').errors.indicator_2_value
		).toBe('La valeur doit être un pourcentage écrit en chiffres (exemples : 45, 45 % ou 12,5).');
		// A count takes no « € ».
		expect(
			parseProgressForm(form(entry(1, '15 €')), KINDS, '2026-03-01').errors.indicator_1_value
		).toBe('La valeur doit être un nombre (exemple : 12 ou 12,5).');
	});
});

describe('the status a partner reports', () => {
	it('never « abandonnée »: the plan abandons a fiche, with its reason', () => {
		const parsed = parseProgressForm(form({ status: 'abandonnee' }), INDICATORS, '2026-03-01');
		expect(parsed.input).toBeUndefined();
		expect(parsed.errors.status).toContain('Une fiche n’est abandonnée que par Lot numérique');
		expect(parsed.values.status).toBe('abandonnee');
		expect(
			parseProgressForm(form({ status: 'perdue' }), INDICATORS, '2026-03-01').errors.status
		).toBe('Choisissez un statut dans la liste.');
		expect(
			parseProgressForm(form({ status: 'suspendue' }), INDICATORS, '2026-03-01').input?.status
		).toBe('suspendue');
	});

	it('refuses an advancement its status contradicts, told on the advancement with the rest', () => {
		const parse = (status: string, progress: string, done = 'Fait', intent = 'submit') =>
			parseProgressForm(form({ status, progress, done, intent }), INDICATORS, '2026-03-01');
		const done = parse('realisee', '30');
		expect(done.input).toBeUndefined();
		expect(done.errors).toEqual({
			progress:
				'Une fiche réalisée est avancée à 100\u202f% : corrigez l’avancement, ou choisissez le statut « En cours ».'
		});
		expect(done.values).toMatchObject({ status: 'realisee', progress: '30' });
		expect(parse('a_lancer', '40 %').errors.progress).toMatch(/^Une fiche à lancer n’a pas/);
		// Told at once with the form's other problems.
		expect(Object.keys(parse('realisee', '30', '', 'submit').errors).sort()).toEqual([
			'done',
			'progress'
		]);
		// Agreeing, or the advancement left empty but under « Réalisée »: accepted.
		expect(parse('realisee', '100').input?.progress).toBe(100);
		expect(parse('realisee', '').errors.progress).toBe(
			'Une fiche réalisée est avancée à 100\u202f% : indiquez 100 dans l’avancement.'
		);
		expect(parse('a_lancer', '0').input?.progress).toBe(0);
		expect(parse('suspendue', '30').input?.progress).toBe(30);
		// An advancement refused on its own keeps its own message.
		expect(parse('realisee', '150').errors.progress).toBe(
			'L’avancement est un pourcentage entre 0 et 100.'
		);
	});

	// Left noticed s48: « réalisée » chosen before the advancement was set to 100 could not be saved
	// as a draft, the half-written update lost to whoever closed the page.
	it('lets a draft keep a status and an advancement not yet agreeing: refused on submit only', () => {
		for (const intent of ['draft', 'replace']) {
			const parse = (status: string, progress: string) =>
				parseProgressForm(
					form({ status, progress, intent, version: '1', replace_version: '1' }),
					INDICATORS,
					'2026-03-01'
				);
			expect(parse('realisee', '30').errors).toEqual({});
			expect(parse('realisee', '30').input).toMatchObject({ status: 'realisee', progress: 30 });
			expect(parse('realisee', '').input).toMatchObject({ status: 'realisee', progress: null });
			expect(parse('a_lancer', '40').input?.progress).toBe(40);
			// What holds for any save still does.
			expect(parse('realisee', '150').errors.progress).toBe(
				'L’avancement est un pourcentage entre 0 et 100.'
			);
		}
	});
});

// Left noticed s47: a value measured after its update's date was taken, and the editions then
// left it to the next bilan. The update's date is the one the form carries (a draft submitted
// later keeps the date it was given).
describe('a measurement dated after its update', () => {
	for (const intent of ['draft', 'submit'])
		it(`is refused on its date, the typing kept (${intent})`, () => {
			const parsed = parseProgressForm(
				form({ intent, indicator_1_date: '2026-03-02', indicator_1_value: '3' }),
				INDICATORS,
				'2026-03-05'
			);
			expect(parsed.input).toBeUndefined();
			expect(parsed.errors).toEqual({
				indicator_1_date: `La date de mesure ne peut pas être postérieure à celle de la mise à jour, le ${formatDate('2026-03-01')} : changez l’une ou l’autre.`
			});
			expect(parsed.values.indicator_1_date).toBe('2026-03-02');
			expect(parsed.values.indicator_1_value).toBe('3');
		});

	it('is taken on the update’s day, and once the update is dated after it', () => {
		const sameDay = parseProgressForm(
			form({ indicator_1_date: '2026-03-01', indicator_1_value: '3' }),
			INDICATORS,
			'2026-03-05'
		);
		expect(sameDay.errors).toEqual({});
		const later = parseProgressForm(
			form({ reported_on: '2026-03-04', indicator_1_date: '2026-03-02', indicator_1_value: '3' }),
			INDICATORS,
			'2026-03-05'
		);
		expect(later.errors).toEqual({});
	});
});

import { describe, expect, it } from 'vitest';
import { OrganisationEditSchema } from './organisation';
import { STRUCTURE_SCHEMAS } from './plan-structure';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH } from './limits';
import { ImportReasonSchema } from './plan-import';
import { portalSources } from '../utils/source-testing';
import {
	indicatorRowField,
	NewFicheSchema,
	ownerField,
	parseFicheForm,
	partnerField,
	StatusSchema,
	text
} from './plan-edit';

describe('a text of the plan forms', () => {
	it('counts a line break once, as the browser’s CRLF or as stored (the import counts so)', () => {
		const five = text('Le texte', 5);
		expect(five.safeParse('ab\r\ncd')).toEqual({ success: true, data: 'ab\ncd' });
		expect(five.safeParse('ab\r\ncde').success).toBe(false);
		expect(five.safeParse('  ab  ').data).toBe('ab');
	});

	it('keeps a title or a name on one line, and names a plural field in the plural', () => {
		const title = text('Le titre', 300, { line: true });
		expect(title.safeParse('Un titre\r\nsur deux lignes').error?.issues[0]?.message).toBe(
			'Le titre tient sur une ligne : retirez ses retours à la ligne.'
		);
		expect(text('Le contexte', 300).safeParse('Deux\nparagraphes').success).toBe(true);
		expect(
			text('Les facteurs', 300, { plural: true }).safeParse('a\u0007').error?.issues[0]?.message
		).toBe(
			'Les facteurs contiennent un caractère non autorisé : U+0007 (caractère de contrôle), 2e caractère.'
		);
	});

	it('tells a row’s text without a subject: the summary names its row and field before it', () => {
		const rowText = text(null, 300, { line: true });
		const message = (value: string) => rowText.safeParse(value).error?.issues[0]?.message;
		// The words of every form's text field (textField), without its subject.
		expect(message('x'.repeat(301))).toBe('300 caractères au plus (301 saisis, 1 de trop).');
		expect(message('Sud\u202Eouest')).toBe(
			'Contient un caractère non autorisé : U+202E (inversion de sens), 4e caractère.'
		);
		expect(message('Sud\nouest')).toBe('Tient sur une ligne : retirez ses retours à la ligne.');
	});

	it('says a labelled text too long as every form does, an emoji counted once', () => {
		const message = (value: string) =>
			text('Le titre', 300, { line: true }).safeParse(value).error?.issues[0]?.message;
		expect(message('x'.repeat(301))).toBe(
			'Le titre : 300 caractères au plus (301 saisis, 1 de trop).'
		);
		expect(message('🙂'.repeat(300))).toBeUndefined();
	});
});

describe('the reason of a change, and the codes of the linked fiches', () => {
	it('counts the reason’s characters as a person does: two emoji are not three characters', () => {
		const reason = StatusSchema.shape.reason;
		expect(reason.safeParse('🙂🙂').error?.issues[0]?.message).toBe(
			'Indiquez en quelques mots pourquoi vous faites cette modification (3 caractères au moins).'
		);
		expect(reason.safeParse('🙂🙂🙂').success).toBe(true);
	});

	// Issue #14: « 3 caractères » and « 500 caractères au plus » were typed beside the numbers the
	// field checks; the import page's hint said 500 on its own.
	it('says its lengths from REASON_MIN_LENGTH and REASON_MAX_LENGTH, on the forms and the import', () => {
		const short = 'x'.repeat(REASON_MIN_LENGTH - 1);
		for (const reason of [StatusSchema.shape.reason, ImportReasonSchema]) {
			expect(reason.safeParse(short).error?.issues[0]?.message).toContain(
				`${REASON_MIN_LENGTH} caractères`
			);
			expect(reason.safeParse('x'.repeat(REASON_MAX_LENGTH)).success).toBe(true);
			expect(reason.safeParse('x'.repeat(REASON_MAX_LENGTH + 1)).success).toBe(false);
		}
		const typed = portalSources('src').flatMap(({ path, text }) =>
			/\b(?:3 caractères|500 caractères|maxlength=\{500\})/.test(text) ? [path] : []
		);
		expect(typed).toEqual([]);
	});

	it('reads a fiche code as the rest of the portal does (FICHE_CODE_PATTERN)', () => {
		const form = new FormData();
		form.set('links', '3-1, 10-12 0-1');
		expect(parseFicheForm(form).errors.links).toBe(
			'« 10-12 », « 0-1 » ne sont pas des codes de fiche (exemple : 3-1).'
		);
	});

	it('too many codes: the limit, as every text field says it', () => {
		const form = new FormData();
		form.set('links', Array.from({ length: 120 }, () => '3-1').join(', '));
		expect(parseFicheForm(form).errors.links).toBe(
			'Les codes des fiches liées : 500 caractères au plus (598 saisis, 98 de trop).'
		);
	});
});

describe('a fiche’s title', () => {
	const titleProblem = (title: string) =>
		NewFicheSchema.safeParse({ objective: '4', title, reason: 'Ajout voté.', decision: '' })
			.error?.issues.filter((issue) => issue.path[0] === 'title')
			.map((issue) => issue.message);

	it('is asked for when missing, and said too short when under 3 characters', () => {
		expect(titleProblem('  ')).toEqual(['Indiquez le titre de la fiche.']);
		expect(titleProblem('Wi')).toEqual(['Le titre de la fiche compte au moins 3 caractères.']);
		expect(titleProblem('Wifi')).toBeUndefined();
	});
});

describe('the open data’s separator « | » (docs/open-data.md: a cell’s values split on it)', () => {
	const reason =
		'la barre verticale « | » : elle sépare les valeurs d’une cellule dans les données ouvertes';

	it('is refused in an organisation’s name', () => {
		const issues = OrganisationEditSchema.safeParse({
			name: 'Ad’Occ | Agence régionale',
			full_name: '',
			kind: 'public_body',
			reason: 'Nom complet.',
			decision: '',
			version: '1',
			seen_revision: ''
		}).error?.issues.map((issue) => issue.message);
		expect(issues).toEqual([`Le nom ne peut pas contenir ${reason}.`]);
	});

	it('is refused in an owner’s scope and a partner’s précision, not in an owner’s note', () => {
		const form = new FormData();
		form.set(ownerField(0, 'org'), '1');
		form.set(ownerField(0, 'scope'), 'Prestation | hébergement');
		form.set(ownerField(0, 'note'), 'Voir | plus bas');
		form.set(partnerField(0, 'org'), '2');
		form.set(partnerField(0, 'detail'), 'Formation | conseil');
		const { errors } = parseFicheForm(form);
		expect(errors[ownerField(0, 'scope')]).toBe(`Ne peut pas contenir ${reason}.`);
		expect(errors[partnerField(0, 'detail')]).toBe(`Ne peut pas contenir ${reason}.`);
		expect(errors[ownerField(0, 'note')]).toBeUndefined();
	});
});

describe('an indicator row of the fiche form', () => {
	/** The row's messages, by field part, for what was typed in it. */
	function rowErrors(typed: Record<string, string>) {
		const form = new FormData();
		form.set(indicatorRowField(0, 'label'), 'Nombre de bornes');
		form.set(indicatorRowField(0, 'kind'), 'count');
		for (const [part, value] of Object.entries(typed)) form.set(`ind_0_${part}`, value);
		const { errors } = parseFicheForm(form);
		return Object.fromEntries(
			Object.entries(errors)
				.filter(([name]) => name.startsWith('ind_0_'))
				.map(([name, message]) => [name.slice('ind_0_'.length), message])
		);
	}
	const NOT_A_NUMBER = 'La valeur doit être un nombre (exemple : 12 ou 12,5).';

	// Walkthrough s46: the fiche form reads targets and baselines as the partners' form does.
	it('refuses « 1,000 » and « 1 0 0 » for a target or baseline, and takes a decimal', () => {
		expect(rowErrors({ target: '1,000', target_date: '2030-12-31' }).target).toContain(
			'se lit de deux façons'
		);
		expect(rowErrors({ baseline: '1 0 0' }).baseline).toContain('groupes de trois chiffres');
		expect(rowErrors({ baseline: '12,5', baseline_date: '2020-01-01' })).toEqual({});
		expect(rowErrors({ target: '1 000', target_date: '2030-12-31' })).toEqual({});
	});

	it('says a refused number alone, not also that a date asks for it or it asks for a date', () => {
		expect(rowErrors({ target: 'abc', target_date: '2030-12-31' })).toEqual({
			target: NOT_A_NUMBER
		});
		expect(rowErrors({ target: '1e300', target_date: '2030-12-31' })).toEqual({
			target: NOT_A_NUMBER
		});
		// « abc » as a baseline also asked for its date.
		expect(rowErrors({ baseline: 'abc' })).toEqual({ baseline: NOT_A_NUMBER });
		// A number the indicator's kind refuses (a count below zero) too, as the import says it.
		expect(Object.keys(rowErrors({ baseline: '-3' }))).toEqual(['baseline']);
	});

	// Review s58: « Cette date n’est pas valide (jj/mm/aaaa) » and « entre 2000 et 2100 » quoted a
	// format the date field never shows and no day.
	it('says a date not read with the writing that is read, and its bounds with their days', () => {
		expect(rowErrors({ target: '3', target_date: '31/12/2030' })).toEqual({
			target_date:
				'Cette date n’a pas pu être lue comme un jour du calendrier : choisissez-la dans le calendrier du champ ou, sans calendrier, écrivez l’année, le mois puis le jour (2026-12-07 pour le 7\u00a0décembre\u00a02026).'
		});
		expect(rowErrors({ target: '3', target_date: '2101-01-01' })).toEqual({
			target_date:
				'Cette date doit tomber entre le 1er\u00a0janvier\u00a02000 et le 31\u00a0décembre\u00a02100.'
		});
	});

	it('still asks for the target of a dated one, and for the date of a baseline', () => {
		expect(rowErrors({ target_date: '2030-12-31' })).toEqual({
			target: 'Indiquez la valeur cible, ou videz sa date.'
		});
		expect(rowErrors({ baseline: '12' })).toEqual({
			baseline_date: 'Indiquez la date de la valeur de départ.'
		});
	});
});

// Review of authoring: « Nombre de communes » and « NOMBRE de communes ! » were saved on one fiche,
// though the README says labels are compared everywhere as titles are (foldForMatching).
describe('two indicators of the fiche form under one label', () => {
	function withLabels(labels: string[], retired: number[] = []) {
		const form = new FormData();
		labels.forEach((label, i) => {
			form.set(indicatorRowField(i, 'label'), label);
			form.set(indicatorRowField(i, 'kind'), 'count');
			if (retired.includes(i)) form.set(indicatorRowField(i, 'retire'), 'on');
		});
		const { errors } = parseFicheForm(form);
		return Object.fromEntries(Object.entries(errors).filter(([name]) => name.startsWith('ind_')));
	}

	it('refuses the later one, naming the other by its label', () => {
		expect(withLabels(['Nombre de communes', 'NOMBRE de communes !'])).toEqual({
			[indicatorRowField(1, 'label')]:
				'L’indicateur « Nombre de communes » de cette fiche porte déjà ce libellé (capitales, accents, espaces et ponctuation mis à part) : donnez à celui-ci un autre libellé.'
		});
	});

	it('takes a label that differs by more, and one a retired indicator leaves', () => {
		expect(withLabels(['Nombre de communes', 'Nombre de communes équipées'])).toEqual({});
		expect(withLabels(['Nombre de communes', 'Nombre de communes'], [0])).toEqual({});
	});
});

describe('the status form of a fiche (« Changer le statut »)', () => {
	const sent = (status: string, shown_status: string) =>
		StatusSchema.safeParse({
			status,
			shown_status,
			reason: 'Décision de la commission',
			decision: ''
		});

	it('takes a status Lot numérique may set, and the status the page showed', () => {
		expect(sent('suspendue', 'en_cours').data).toMatchObject({
			status: 'suspendue',
			shown_status: 'en_cours'
		});
	});

	it('refuses « réalisée » and « abandonnée », which come from elsewhere, and a made-up shown status', () => {
		expect(sent('realisee', 'en_cours').error?.issues[0]?.message).toBe(
			'Choisissez le nouveau statut dans la liste.'
		);
		expect(sent('abandonnee', 'en_cours').success).toBe(false);
		expect(sent('suspendue', 'finie').error?.issues[0]?.message).toBe(
			'Le formulaire est incomplet : rechargez la page.'
		);
	});
});

// Left by read-back s47: these minimums were counted in UTF-16 units (`length`), where every other
// form's field counts what a person sees (textField's `min`): « 𝒜𝒷 », two letters, passed for three.
describe('a minimum length, counted as a person counts: an emoji or a letter beyond U+FFFF is one', () => {
	const firstIssue = (
		schema: { safeParse: (v: unknown) => { error?: { issues: { message: string }[] } } },
		value: string
	) => schema.safeParse(value).error?.issues[0]?.message;

	it('an organisation’s name: 2 characters at least', () => {
		const name = OrganisationEditSchema.shape.name;
		for (const short of ['', 'A', '🙂', '𝒜'])
			expect(firstIssue(name, short)).toBe('Indiquez le nom de l’organisation.');
		expect(firstIssue(name, '𝒜𝒷')).toBeUndefined();
	});

	// Left noticed s49: « SGАR » with a Cyrillic « А » passed, another name than « SGAR » that
	// reads the same.
	it('an organisation’s name: Latin letters not mixed with Cyrillic or Greek ones', () => {
		const name = OrganisationEditSchema.shape.name;
		expect(firstIssue(name, 'SG\u0410R')).toBe(
			'Le nom mêle des lettres latines à des lettres cyrilliques ou grecques (« \u0410 »), qui leur ressemblent sans être les mêmes : retapez ces lettres au clavier.'
		);
		expect(firstIssue(name, '\u039Fccitanie \u0395')).toContain('(« \u039F », « \u0395 »)');
		for (const fine of ['SGAR', 'Ville de Saint-Céré', 'Σύνδεσμος', 'Муниципалитет', 'CDG 46'])
			expect(firstIssue(name, fine), fine).toBeUndefined();
	});

	it('a level’s intitulé: 3 characters at least, then words', () => {
		const label = STRUCTURE_SCHEMAS.axis.shape.label;
		expect(firstIssue(label, '')).toBe('Indiquez l’intitulé de l’axe.');
		expect(firstIssue(STRUCTURE_SCHEMAS.objective.shape.label, '')).toBe(
			'Indiquez l’intitulé de l’objectif.'
		);
		// Too short is not empty: the message says the minimum, emoji counted as one.
		for (const level of ['axis', 'orientation', 'objective'] as const)
			for (const short of ['a', 'Ab', '𝒜𝒷', '🙂🙂'])
				expect(firstIssue(STRUCTURE_SCHEMAS[level].shape.label, short), short).toBe(
					'L’intitulé compte au moins 3 caractères.'
				);
		expect(firstIssue(label, '🙂🙂🙂')).toBe('L’intitulé doit contenir des mots.');
		expect(firstIssue(label, '𝒜𝒷𝒸')).toBeUndefined();
	});

	it('an axis’s short name: 2 characters at least, in one word', () => {
		const shortName = STRUCTURE_SCHEMAS.axis.shape.short_name;
		expect(firstIssue(shortName, '')).toBe(
			'Indiquez le nom court de l’axe (un mot, comme « solidarité »).'
		);
		for (const short of ['e', 'a', '𝒜', '🚀'])
			expect(firstIssue(shortName, short), short).toBe(
				'Le nom court compte au moins 2 caractères (un mot, comme « solidarité »).'
			);
		expect(firstIssue(shortName, '🙂🙂')).toBe(
			'Le nom court tient en un mot, sans espace (comme « solidarité » ou « e-administration »).'
		);
		expect(firstIssue(shortName, '𝒜𝒷')).toBeUndefined();
	});

	it('an indicator’s intitulé on the fiche form: 3 characters at least', () => {
		const labelError = (label: string) => {
			const form = new FormData();
			form.set(indicatorRowField(0, 'label'), label);
			form.set(indicatorRowField(0, 'kind'), 'count');
			form.set(indicatorRowField(0, 'unit'), 'bornes');
			return parseFicheForm(form).errors[indicatorRowField(0, 'label')];
		};
		expect(labelError('')).toBe('Indiquez l’intitulé de l’indicateur.');
		// Too short is not empty: the message says the minimum, as a fiche's title does.
		for (const short of ['k', 'km', '𝒜𝒷', '🙂🙂'])
			expect(labelError(short)).toBe('L’intitulé de l’indicateur compte au moins 3 caractères.');
		expect(labelError('🙂🙂🙂')).toBeUndefined();
	});
});

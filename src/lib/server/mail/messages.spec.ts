import { describe, expect, it } from 'vitest';
import {
	type Notification,
	campaignDeadlineMail,
	campaignMail,
	invitationMail,
	replacedValuesMail,
	sittingCancelledMail,
	sittingClosedMail,
	sittingConvenedMail,
	sittingReleasedMail
} from './messages';
import { renderMail } from './templates';
import { shownText } from '../../utils/html-testing';
import { RELEVE_MAIL_DECISION_TEXT, RELEVE_MAIL_DECISIONS } from '../../utils/rules';
import { decisionLabel } from '../../utils/vocabulary';

/** A mail as its reader reads it: both parts, rendered, tags and escapes gone, spaces plain. */
const read = (parts: Notification) => {
	const { text, html } = renderMail({ ...parts, stop: 'Rien à faire.' });
	const plain = (s: string) => s.replace(/\s+/g, ' ');
	const body = html.slice(html.indexOf('<body'));
	return {
		text: plain(text),
		html: shownText(body).replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) =>
			e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === '#39' ? "'" : '&'
		)
	};
};

// A séance keeps the form's usual title, « Commission des usages numériques », more often than not:
// its mails named it twice (« La séance « Commission des usages numériques » de la commission des
// usages numériques »). The convocation already left such a title out; so do the others.

const person = { name: 'Paul Partenaire' };
const sitting = (title: string) => ({
	id: 7,
	title,
	heldOn: '2027-01-21',
	startsAt: '14:30',
	place: 'Cahors'
});
const mails = (title: string) => ({
	cancelled: sittingCancelledMail(person, sitting(title)),
	released: sittingReleasedMail(person, sitting(title)),
	closed: sittingClosedMail(person, { ...sitting(title), announcedOn: null, decisions: [] }, null)
});

describe('the convocation', () => {
	// Commission's-year review, finding 4: only the hour changed, the subject said « nouvelle date ».
	it('says in its subject a new hour when only the hour changed, a new date when the day did', () => {
		const agenda = [{ code: '3-1', title: 'Fiche' }];
		const subject = (changed: ('heldOn' | 'startsAt' | 'place')[]) =>
			sittingConvenedMail(person, sitting('Séance'), agenda, true, {
				...sitting('Séance'),
				startsAt: '14:00',
				changed,
				agendaChanged: false
			}).subject;
		expect(subject(['startsAt', 'place'])).toMatch(/ \(nouvelle heure\)$/);
		expect(subject(['heldOn', 'startsAt'])).toMatch(/ \(nouvelle date\)$/);
	});

	// Left noticed s49: « La commission des usages numériques se réunit … : « Commission des usages
	// numériques — revue annuelle 2026 » ».
	it('names the commission once when the séance’s title names it', () => {
		const agenda = [{ code: '3-1', title: 'Fiche' }];
		const line = (title: string) =>
			read(sittingConvenedMail(person, sitting(title), agenda, true)).text;
		const annual = line('Commission des usages numériques — revue annuelle 2026');
		expect(annual).toContain(
			'La séance « Commission des usages numériques — revue annuelle 2026 » se tient le 21 janvier 2027 à 14 h 30 (Cahors).'
		);
		expect(annual).not.toContain('La commission des usages numériques se réunit');
		expect(line('Séance de printemps')).toContain(
			'La commission des usages numériques se réunit le 21 janvier 2027 à 14 h 30 (Cahors) : « Séance de printemps ».'
		);
		expect(line('Commission des usages numériques')).toContain(
			'La commission des usages numériques se réunit le 21 janvier 2027 à 14 h 30 (Cahors).'
		);
	});
});

describe('the mails of a séance after its convocation', () => {
	it('do not name a séance titled as the commission twice', () => {
		for (const title of ['Commission des usages numériques', 'commission des usages  numériques'])
			for (const [kind, mail] of Object.entries(mails(title))) {
				const first = mail.paragraphs[0]!;
				expect(first, kind).toContain('séance de la commission des usages numériques');
				expect(first, kind).not.toContain('«');
			}
		expect(mails('Commission des usages numériques').cancelled.paragraphs[0]).toMatch(
			/^La séance de la commission des usages numériques, prévue le /
		);
	});

	it('name a séance of another title by it', () => {
		for (const [kind, mail] of Object.entries(mails('Séance budgétaire')))
			expect(mail.paragraphs[0], kind).toContain(
				'séance « Séance budgétaire » de la commission des usages numériques'
			);
		expect(mails('Séance budgétaire').closed.paragraphs[0]).toBe(
			'La séance « Séance budgétaire » de la commission des usages numériques du 21\u00a0janvier\u00a02027 est close ; son relevé de décisions est publié.'
		);
	});
});

describe('a campaign reminder', () => {
	const campaign = { title: 'Suivi de fin d’année 2026', deadline: '2026-12-31' };
	const fiches = [{ code: '4-1', title: 'Fiche' }];
	const subject = (reminder: number | null) =>
		campaignMail(person, campaign, fiches, reminder).subject.replace(/\s/g, ' ');

	it('sent after the deadline has a subject of its own, which says it is late', () => {
		expect(subject(-14)).toBe(
			'Rappel : campagne de suivi « Suivi de fin d’année 2026 » (échéance le 31 décembre 2026)'
		);
		expect(subject(-3)).toBe(subject(-14));
		// Review s44 (staff): it read « terminée le … » of a campaign still open.
		expect(subject(1)).toBe(
			'Rappel après l’échéance : campagne de suivi « Suivi de fin d’année 2026 » (échéance passée le 31 décembre 2026, encore ouverte)'
		);
		const lead = campaignMail(person, campaign, fiches, 1).paragraphs[0]!.replace(/\s/g, ' ');
		expect(lead).toMatch(
			/^L’échéance de la campagne « Suivi de fin d’année 2026 » était le 31 décembre 2026 ; la campagne reste ouverte\./
		);
		expect(lead).not.toMatch(/terminée/);
		expect(subject(null)).toBe(
			'Campagne de suivi « Suivi de fin d’année 2026 » : au plus tard le 31 décembre 2026'
		);
	});
});

describe('a campaign’s mails to an organisation', () => {
	const campaign = { title: 'Suivi 2026', deadline: '2026-12-31' };
	const one = [{ code: '4-1', title: 'Fiche' }];
	const two = [...one, { code: '5-2', title: 'Autre fiche' }];
	const all = (fiches: typeof one) => [
		campaignMail(person, campaign, fiches, null),
		campaignMail(person, campaign, fiches, -3),
		campaignMail(person, campaign, fiches, 2),
		campaignDeadlineMail(person, campaign, '2026-12-15', fiches)
	];

	// Review s49 (staff): a campaign for one fiche asked for « chacune de ces fiches » before a
	// list of one, and its footer read « porte ces fiches ».
	it('names one fiche in the singular, in both parts', () => {
		for (const mail of all(one))
			for (const [part, body] of Object.entries(read(mail))) {
				expect(body, `${mail.subject} (${part})`).not.toMatch(/ces fiches|chacune/);
				expect(body, `${mail.subject} (${part})`).toContain(
					'votre organisation porte cette fiche ou en est partenaire.'
				);
			}
		const [opening, reminder, late, moved] = all(one).map((m) => read(m));
		for (const body of [opening!.text, opening!.html])
			expect(body).toContain('Merci de soumettre une mise à jour de cette fiche au plus tard le');
		for (const mail of [reminder!, late!, moved!])
			for (const body of [mail.text, mail.html])
				expect(body).toContain(
					'attend encore de votre organisation une mise à jour de cette fiche (à soumettre'
				);
	});

	it('names several fiches in the plural', () => {
		const [opening, ...others] = all(two).map((m) => read(m));
		expect(opening!.text).toContain('une mise à jour de chacune de ces fiches au plus tard');
		for (const mail of others)
			for (const body of [mail.text, mail.html]) {
				expect(body).toContain('une mise à jour de ces fiches (à soumettre');
				expect(body).toContain('porte ces fiches ou en est partenaire.');
			}
	});
});

describe('the relevé’s mail', () => {
	it('lists its first decisions and counts the others, which the relevé has', () => {
		const decisions = Array.from({ length: RELEVE_MAIL_DECISIONS + 3 }, (_, i) => ({
			ficheId: i + 1,
			fiche: `${i + 1}-1`,
			title: 'Fiche',
			label: 'Priorité 2 → 1',
			text: ''
		}));
		const mail = sittingClosedMail(
			person,
			{ ...sitting('Séance'), announcedOn: null, decisions },
			null
		);
		expect(mail.items).toHaveLength(RELEVE_MAIL_DECISIONS + 1);
		expect(mail.items![0]!.text).toBe('1-1 — Fiche : Priorité 2 → 1');
		expect(mail.items!.at(-1)!.text).toBe('et 3\u00a0autres décisions dans le relevé');
		// With its hour (walkthrough s56 #4: three relevés of 7 December had one subject).
		expect(mail.subject).toBe(
			'Relevé de décisions de la séance du 21\u00a0janvier\u00a02027 à 14\u00a0h\u00a030'
		);
		const none = sittingClosedMail(
			person,
			{
				...sitting('Séance'),
				announcedOn: null,
				decisions: []
			},
			null
		);
		expect(none.paragraphs.at(-1)).toBe('Elle n’a pris aucune décision.');
		expect(none.items).toEqual([]);
	});
});

// A partner's relevé listed every decision of the séance, its organisation's lost among them.
describe('the relevé’s mail to a partner', () => {
	const decisions = [1, 2, 3].map((id) => ({
		ficheId: id,
		fiche: `${id}-1`,
		title: 'Fiche',
		label: 'Avis favorable',
		text: ''
	}));
	const closed = (fiches: number[]) =>
		read(
			sittingClosedMail(
				person,
				{ ...sitting('Séance'), announcedOn: null, decisions },
				new Set(fiches)
			)
		).text;

	it('leads with the decisions on its organisation’s fiches, counts the others, links the relevé', () => {
		const text = closed([2, 9]);
		expect(text).toContain(
			'Sa décision sur une fiche de votre organisation : - 2-1 — Fiche : Avis favorable - et 2 autres décisions dans le relevé'
		);
		expect(text).not.toContain('1-1 — Fiche');
		expect(text).toContain('/commission/seances/7');
	});

	it('says when none is on its organisation’s fiches', () => {
		const text = closed([9]);
		expect(text).toContain(
			'Aucune décision ne porte sur les fiches de votre organisation. - 3 décisions dans le relevé'
		);
		expect(text).not.toContain('Fiche : Avis favorable');
	});
});

// A walkthrough of December 2026: every recipient of the relevé was given « …parce que vous êtes membre de la
// commission ou qu’une fiche de votre organisation était à l’ordre du jour », where the
// convocation says each person's own reason.
describe('the relevé’s mail, its reason', () => {
	const reason = (member: boolean, fiches = 1) =>
		sittingClosedMail(
			person,
			{ ...sitting('Séance'), announcedOn: null, decisions: [] },
			member ? null : new Set(Array.from({ length: fiches }, (_, i) => i + 1))
		).reason;

	it('tells a member they are one, and a partner that a fiche of theirs was on the agenda', () => {
		expect(reason(true, 0)).toBe(
			'Vous recevez ce message parce que vous êtes membre de la commission.'
		);
		expect(reason(false)).toBe(
			'Vous recevez ce message parce qu’une fiche de votre organisation était à l’ordre du jour.'
		);
	});
});

// Walkthrough of the roles (s54): a partner with several fiches on the agenda was told « Des fiches
// de votre organisation sont à l’ordre du jour » above, « parce qu’une fiche… » below.
describe('a séance’s mail to a partner with several fiches on its agenda', () => {
	const agenda = [
		{ code: '3-1', title: 'Fiche' },
		{ code: '3-2', title: 'Autre fiche' }
	];

	it('gives its reason in the plural, in the convocation and in the relevé', () => {
		const convened = read(sittingConvenedMail(person, sitting('Séance'), agenda, false)).text;
		expect(convened).toContain('Des fiches de votre organisation sont à l’ordre du jour');
		expect(convened).toContain(
			'Vous recevez ce message parce que des fiches de votre organisation sont à l’ordre du jour.'
		);
		const one = read(sittingConvenedMail(person, sitting('Séance'), agenda.slice(0, 1), false));
		expect(one.text).toContain(
			'Vous recevez ce message parce qu’une fiche de votre organisation est à l’ordre du jour.'
		);
		const closed = read(
			sittingClosedMail(
				person,
				{ ...sitting('Séance'), announcedOn: null, decisions: [] },
				new Set([1, 2])
			)
		).text;
		expect(closed).toContain(
			'Vous recevez ce message parce que des fiches de votre organisation étaient à l’ordre du jour.'
		);
	});
});

describe('the relevé’s mail, read', () => {
	// Review s49 (staff): it listed each decision by its kind only (« 1-2 — … : Décision »), and
	// named the commission twice in a séance titled after it.
	const long = `Avis motivé : ${'la fiche doit préciser ses indicateurs. '.repeat(10)}Fin.`;
	const decision = (
		fiche: string | null,
		d: { kind: string; opinion?: string; previousPriority?: number; newPriority?: number },
		text: string
	) => ({
		ficheId: null,
		fiche,
		title: fiche ? 'Fiche' : 'Point libre',
		label: decisionLabel({ opinion: null, newPriority: null, ...d }),
		text
	});
	const mail = read(
		sittingClosedMail(
			person,
			{
				...sitting('Commission des usages numériques — revue annuelle 2026'),
				announcedOn: null,
				decisions: [
					decision(
						'1-2',
						{ kind: 'priority', previousPriority: 2, newPriority: 1 },
						'Mise en\n œuvre prioritaire.'
					),
					decision('3-1', { kind: 'opinion', opinion: 'favorable' }, long),
					decision(null, { kind: 'free' }, 'Le bureau écrira aux partenaires.')
				]
			},
			null
		)
	);

	it('gives each decision’s content, its text shortened when long, in both parts', () => {
		for (const [part, body] of Object.entries(mail)) {
			expect(body, part).toContain('1-2 — Fiche : Priorité 2 → 1 — « Mise en œuvre prioritaire. »');
			expect(body, part).toContain(
				`3-1 — Fiche : Avis favorable — « ${long.slice(0, RELEVE_MAIL_DECISION_TEXT)}… »`
			);
			expect(body, part).not.toContain('Fin.');
			expect(body, part).toContain(
				'Point libre : Décision — « Le bureau écrira aux partenaires. »'
			);
		}
	});

	it('cuts a long decision’s text between two words (left noticed s49: « indicateu… »)', () => {
		const text = `${'Avis '.repeat(38)}motivé indicateurs précis.`;
		// The 200th unit falls in « indicateurs ».
		expect(text.slice(197, RELEVE_MAIL_DECISION_TEXT)).toBe('ind');
		const parts = read(
			sittingClosedMail(
				person,
				{
					...sitting('Séance'),
					announcedOn: null,
					decisions: [decision('3-1', { kind: 'opinion', opinion: 'favorable' }, text)]
				},
				null
			)
		);
		for (const [part, body] of Object.entries(parts)) {
			expect(body, part).toContain(`« ${'Avis '.repeat(38)}motivé… »`);
			expect(body, part).not.toContain('ind…');
		}
	});

	it('names the séance once when its title names the commission', () => {
		for (const [part, body] of Object.entries(mail)) {
			expect(body, part).toContain(
				'La séance « Commission des usages numériques — revue annuelle 2026 » du 21 janvier 2027 est close ; son relevé de décisions est publié.'
			);
			expect(body.match(/usages numériques/gi), part).toHaveLength(1);
		}
	});
});

describe('the first invitation', () => {
	const link = { token: 'jeton', expiresAt: Date.UTC(2026, 11, 13) };
	const invite = (role: 'partenaire' | 'commission' | 'admin', organisationName: string | null) =>
		invitationMail({ name: 'Sandrine Martin', role, organisationName }, link, 'Anne Admin')
			.paragraphs;

	it('names who sends it, the organisation of the account and what its role lets one do', () => {
		const [sent, role] = invite('partenaire', 'Mairie de Cahors');
		expect(sent).toBe(
			'Anne Admin, de l’équipe de Lot numérique, vous a créé un compte sur le portail de suivi du schéma des usages et services numériques du Lot, pour Mairie de Cahors.'
		);
		expect(role).toBe(
			'Votre rôle : Partenaire ; il vous permet de rendre compte de l’avancement des fiches du schéma auxquelles votre organisation participe, par des mises à jour que l’équipe relit avant de les publier.'
		);
		// Walkthrough of the roles (s54): « …et en suivre les décisions » lacked its « d’ », and said
		// less than a member does (README's table of roles).
		expect(invite('commission', 'Département du Lot')[1]).toBe(
			'Votre rôle : Membre de la commission des usages numériques ; il vous permet de préparer et tenir les séances de la commission (ordre du jour, présents, décisions datées et motivées), les clore et publier leur relevé de décisions.'
		);
		expect(invite('admin', null)[0]).toMatch(/du Lot, comme membre de cette équipe\.$/);
		expect(invite('admin', null)[1]).toMatch(
			/^Votre rôle : Équipe de Lot numérique \(administration\) ; il vous permet d’administrer le portail : les comptes/
		);
	});

	// Left noticed s48: « pour <organisation> » went to whoever the account named, an administrator
	// of Lot numérique too; only a partner acts for an organisation of the plan.
	it('says whom the account acts for, by its role', () => {
		expect(invite('admin', 'Lot numérique')[0]).toBe(
			'Anne Admin, de l’équipe de Lot numérique, vous a créé un compte sur le portail de suivi du schéma des usages et services numériques du Lot, comme membre de cette équipe.'
		);
		expect(invite('commission', 'Département du Lot')[0]).toMatch(
			/du Lot, comme membre de la commission des usages numériques\.$/
		);
		expect(invite('partenaire', 'Mairie de Cahors')[0]).toMatch(/du Lot, pour Mairie de Cahors\.$/);
	});
});

// Diff review: « a publié cette valeur » for several, « celle de une autre organisation » for an
// organisation with no name to say.

describe('the mail of replaced values', () => {
	const notice = (by: string | null, values: string[]) =>
		read(
			replacedValuesMail(person, { fiche: '6-1', ficheTitle: 'Fiche', by, values, updateId: 3 })
		);

	it('gives its reason in the plural for several values', () => {
		const { text } = notice('SDAIL', ['« A » au 1er juin 2026 : 12 → 15', '« B » : 1 → 2']);
		expect(text).toContain('parce que votre organisation a publié ces valeurs.');
		expect(notice('SDAIL', ['x']).text).toContain('a publié cette valeur.');
	});

	it('says « d’une autre organisation » for one it cannot name', () => {
		const { text } = notice(null, ['« A » au 1er juin 2026 : 12 → 15']);
		expect(text).toContain('a été remplacée par celle d’une autre organisation');
		expect(text).toContain('une mise à jour d’une autre organisation qui donne');
		expect(text).not.toContain('de une');
	});

	it('says where to write to Lot numérique, from an address that takes no reply', () => {
		const { text } = notice('SDAIL', ['x']);
		expect(text).toMatch(
			/était la bonne, écrivez à Lot numérique \(son adresse de contact est dans les mentions légales du portail : https?:\/\/[^\s]+\/mentions-legales\)/
		);
		expect(text).toContain('ce courriel part d’une adresse qui ne reçoit pas les réponses.');
	});

	it('elides « de » before an organisation whose name begins with a vowel', () => {
		const { text, html } = notice('ARS', ['« A » au 1er juin 2026 : 12 → 15']);
		for (const part of [text, html]) {
			expect(part).toContain('a été remplacée par celle d’ARS');
			expect(part).toContain('une mise à jour d’ARS qui donne');
			expect(part).not.toContain('de ARS');
		}
	});
});

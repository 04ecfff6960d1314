import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDICATOR_KIND_LABELS, INDICATOR_KIND_NAMES, INDICATOR_KINDS } from './indicator-kinds';
import { portalSources } from './source-testing';
import {
	attendeeLabel,
	BASELINE_WORD,
	CAMPAIGN_WORDS,
	decisionLabel,
	FICHE_FIELD_LABELS,
	FICHE_STATUSES,
	INDICATOR_FIELD_LABELS,
	mailStatusCount,
	mailStatusLabel,
	statusWord,
	typedDecisionLabel,
	UPDATE_FIELD_LABELS,
	UPDATE_FORM_LABELS
} from './vocabulary';

describe('the words of /admin/courriels for a message not sent', () => {
	it('counts the messages of a closed campaign among those not sent, not as dead links', () => {
		expect(mailStatusCount('cancelled', 2)).toMatch(/^2 non envoyés \(.*campagne close.*\)$/);
	});

	// Review h43: a séance deleted before its convocations left was not among the reasons.
	// Review h43: neither a séance deleted nor a campaign reminder out of date (deadline passed,
	// replaced, answered) was among the reasons.
	it('names every reason a message is cancelled for', () => {
		for (const count of [1, 3])
			for (const reason of [
				'lien périmé',
				'désactivé, désabonné ou passé à un autre rôle ou une autre organisation depuis',
				'campagne close',
				'rappel dépassé',
				'séance supprimée'
			])
				expect(mailStatusCount('cancelled', count)).toContain(reason);
	});

	it('labels one such message « non envoyé » alone: its own reason is shown beside it', () => {
		expect(mailStatusLabel('cancelled')).toBe('non envoyé');
		expect(mailStatusLabel('sent')).toBe('remis au serveur de courrier');
	});

	it('agrees with one message, or none, as French does', () => {
		expect(mailStatusCount('kept', 1)).toBe('1 gardé ici, non envoyé par SMTP');
		expect(mailStatusCount('kept', 0)).toBe('0 gardé ici, non envoyé par SMTP');
		expect(mailStatusCount('kept', 13)).toBe('13 gardés ici, non envoyés par SMTP');
	});
});

describe('a fiche’s status after its count', () => {
	it('agrees with the count, the number left to the page (bold key figures)', () => {
		expect(statusWord('realisee', 1)).toBe('réalisée');
		expect(statusWord('realisee', 2)).toBe('réalisées');
		expect(statusWord('abandonnee', 0)).toBe('abandonnée');
		expect(statusWord('suspendue', 3)).toBe('suspendues');
		expect(statusWord('en_cours', 4)).toBe('en cours');
		expect(statusWord('a_lancer', 1)).toBe('à lancer');
	});

	it('is written in vocabulary.ts alone', () => {
		// « réalisée » / « réalisées » written again beside a count (key figures, a chart's summary)
		// let one page say « 1 réalisées » when the other was mended.
		const words = new Set(
			FICHE_STATUSES.filter((s) => statusWord(s, 1) !== statusWord(s, 2))
				.flatMap((s) => [statusWord(s, 1), statusWord(s, 2)])
				.filter((word) => !(FICHE_STATUSES as readonly string[]).includes(word))
		);
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'vocabulary.ts')))
			.flatMap(({ path, text }) =>
				[...text.matchAll(/'([^'\n]+)'/g)]
					.filter((m) => words.has(m[1]!))
					.map((m) => `${path}: ${m[0]}`)
			);
		expect(found).toEqual([]);
	});
});

describe('a progress update’s fields', () => {
	// Review #14: the conflict's table said « Statut », « Difficultés », the form « Statut de la
	// fiche », « Difficultés rencontrées », the validation page and the history « Difficultés »;
	// « Prochaines étapes » was typed in six files.
	it('are named in vocabulary.ts alone, as a label, a heading or a term', () => {
		const labels = [
			...new Set([
				...Object.values(UPDATE_FIELD_LABELS),
				...Object.values(UPDATE_FORM_LABELS),
				'Difficultés'
			])
		].filter((label) => label !== 'Avancement');
		const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		// Written as a whole string or a whole piece of markup (« Statut de la fiche 1-1 changé »,
		// a sentence of the journal, is not a label).
		const written = new RegExp(
			`(?:['"\`]|>\\s*)(${labels.map(escape).join('|')})(?:\\s*(?:&nbsp;)?:)?\\s*(?:['"\`]|<)`,
			'g'
		);
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'vocabulary.ts')))
			.flatMap(({ path, text }) => [...text.matchAll(written)].map((m) => `${path}: ${m[0]}`));
		expect(found).toEqual([]);
	});

	it('read the same in every table and page; the form’s advancement alone says its unit', () => {
		expect(UPDATE_FIELD_LABELS.status).toBe('Statut de la fiche');
		expect(UPDATE_FIELD_LABELS.difficulties).toBe('Difficultés rencontrées');
		expect({ ...UPDATE_FORM_LABELS, progress: UPDATE_FIELD_LABELS.progress }).toEqual(
			UPDATE_FIELD_LABELS
		);
		expect(UPDATE_FORM_LABELS.progress).toBe('Avancement en %');
	});
});

describe('a commission decision in words', () => {
	it('writes a priority change from the old priority to the new one, an opinion by its name', () => {
		expect(
			decisionLabel({ kind: 'priority', opinion: null, previousPriority: 2, newPriority: 1 })
		).toBe('Priorité 2 → 1');
		expect(decisionLabel({ kind: 'opinion', opinion: 'favorable', newPriority: null })).toBe(
			'Avis favorable'
		);
		// A bilan's snapshot of before the old priority was kept, a decision not yet applied.
		expect(decisionLabel({ kind: 'priority', opinion: null, newPriority: 1 })).toBe('Priorité → 1');
		expect(
			decisionLabel({ kind: 'priority', opinion: null, previousPriority: null, newPriority: 2 })
		).toBe('Priorité → 2');
		expect(decisionLabel({ kind: 'free', opinion: null, newPriority: null })).toBe('Décision');
	});

	it('says a decision typed in the séance’s form as the lists will write it', () => {
		expect(typedDecisionLabel({ kind: 'priority', new_priority: '1' })).toBe(
			decisionLabel({ kind: 'priority', opinion: null, newPriority: 1 })
		);
		expect(typedDecisionLabel({ kind: 'opinion', opinion: 'reserve' })).toBe('Avis réservé');
		// The kind chosen in the form, by its name there.
		expect(typedDecisionLabel({ kind: 'free' })).toBe('Décision libre');
		expect(typedDecisionLabel({ kind: 'priority', new_priority: '' })).toBe('');
		expect(typedDecisionLabel({ kind: 'opinion', opinion: 'autre' })).toBe('');
	});

	// Review h46: the séance's page wrote « Priorité ? → 1 », its closing « Décision libre », the
	// fiche's page and the bilan « Décision », each from OPINION_LABELS on its own.
	it('is written by decisionLabel alone, every page and file the same', () => {
		const byHand = [
			/OPINION_LABELS\s*\[/g,
			/'Décision(?: libre)?'/g,
			/`Priorité \$\{/g,
			/>\s*(?:Changement de priorité|Décision libre)\s*</g
		];
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'vocabulary.ts')))
			.flatMap(({ path, text }) =>
				byHand.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => `${path}: ${m[0]}`))
			);
		expect(found).toEqual([]);
	});
});

describe('a person who may be marked present at a séance', () => {
	it('is named, one of Lot numérique’s team said so', () => {
		expect(attendeeLabel({ name: 'Claude Membre', role: 'commission' })).toBe('Claude Membre');
		expect(attendeeLabel({ name: 'Alice Admin', role: 'admin' })).toBe(
			'Alice Admin (Lot numérique)'
		);
	});
});

// Review h48 (maintainer): « Cette fiche n’existe pas. » was written 6 times, « Cette séance
// n’existe pas. » 5 times, the organisation's in two wordings, the update's beside UPDATE_NOT_FOUND.
describe('a missing fiche, séance, organisation or update', () => {
	it('is said by its constant of the vocabulary alone', () => {
		const byHand =
			/'Cette (?:fiche|séance|organisation|mise à jour) n’existe pas(?: dans le plan)?\.'/g;
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'vocabulary.ts')))
			.flatMap(({ path, text }) => [...text.matchAll(byHand)].map((m) => `${path}: ${m[0]}`));
		expect(found).toEqual([]);
	});
});

// Review #14 (maintainer): each of these was written twice or three times, in a service and its
// schema, in two routes, or three times in one service: one wording mended would leave the other.
describe('a sentence said in several places', () => {
	it('is written once, in vocabulary.ts', () => {
		const sentences = [
			'Cet élément du plan n’existe pas.',
			'La valeur doit être un nombre (exemple : 12 ou 12,5).',
			'Ce graphique n’existe pas.',
			'Le mot de passe actuel est incorrect.'
		];
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'vocabulary.ts')))
			.flatMap(({ path, text }) =>
				sentences.filter((s) => text.includes(s)).map((s) => `${path}: ${s}`)
			);
		expect(found).toEqual([]);
	});
});

// Review #14 (maintainer): the fiche's form said « Contexte / Existant / Description de l’action /
// Facteurs clés de succès » where its page and its changes say « Enjeux et contexte… », its schema a
// third set; a kind changed by the form read « nombre → montant en euros », by the workbook
// « Montant en euros → Nombre », an indicator's label « intitulé » or « libellé ».
describe('a fiche’s texts, an indicator’s fields and kinds', () => {
	it('have one name each, the vocabulary’s: only the workbook’s headings keep the file’s words', () => {
		const others =
			/Facteurs clés de succès|Description de l’action|['`]Contexte['`]|['`]Existant['`]|['`]Libellé['`]|['`]Retiré['`]|oui \/ non|\b[Ll]e contexte\b|[Ll]’existant\b|\b[Ll]a description\b|\bréférence : /;
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('authoring', 'workbook.ts')))
			.flatMap(({ path, text }) =>
				text.split('\n').flatMap((line, i) => (others.test(line) ? [`${path}:${i + 1}`] : []))
			);
		expect(found).toEqual([]);
		expect(FICHE_FIELD_LABELS.context).toBe('Enjeux et contexte');
		expect(INDICATOR_FIELD_LABELS.label).toBe('intitulé');
		expect(INDICATOR_KIND_LABELS.amount).toBe(INDICATOR_KIND_NAMES.amount);
		for (const kind of INDICATOR_KINDS)
			expect(INDICATOR_KIND_LABELS[kind].startsWith(INDICATOR_KIND_NAMES[kind])).toBe(true);
	});
});

// fiches.ts (a fiche abandoned) and plan-diff.ts (one left out of the workbook) typed « Statut »
// in the list of its changes beside FICHE_FIELD_LABELS.
describe('a fiche’s field in a list of changes', () => {
	it('is labelled from FICHE_FIELD_LABELS, never typed again', () => {
		const labels: Record<string, string> = FICHE_FIELD_LABELS;
		// The plan's own title (plan-diff.ts), not a fiche's: the same word for another field.
		const planTitle = "field: 'title', label: 'Titre', get: (p) =>";
		const found = portalSources('src')
			.filter(({ path }) => !path.endsWith(join('utils', 'vocabulary.ts')))
			.flatMap(({ path, text }) =>
				[...text.matchAll(/field: '(\w+)',\s*label: '([^']+)'(?:, get: \(p\) =>)?/g)]
					.filter((m) => labels[m[1]!] === m[2] && m[0] !== planTitle)
					.map((m) => `${path}: ${m[0]}`)
			);
		expect(found).toEqual([]);
	});
});

describe('one word for one thing', () => {
	it('calls a campaign’s date its « échéance », its messages « rappels », an indicator’s start its « valeur de départ »', () => {
		// Each had a second name on some pages and in some messages: one word, in CAMPAIGN_WORDS and
		// BASELINE_WORD, the one the portal and the plan's workbook use most.
		const others = /date limite|\brelances\b|valeur de référence|date de la référence/i;
		const found = portalSources('src').flatMap(({ path, text }) =>
			text.split('\n').flatMap((line, i) => {
				const code = line.replace(/^\s*(?:\*|\/\/).*$/, '');
				return others.test(code) ? [`${path}:${i + 1}: ${line.trim()}`] : [];
			})
		);
		expect(found).toEqual([]);
		expect(CAMPAIGN_WORDS).toEqual({ deadline: 'échéance', reminders: 'rappels' });
		expect(BASELINE_WORD).toBe('valeur de départ');
	});
});

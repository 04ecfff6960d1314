// The words the portal shows for the values it stores: one home for each, imported by the pages,
// the services' messages, the audit journal and the charts. Values stay English in code and in
// the database; what a visitor reads is French.

import type { StructureLevel } from '../schemas/plan-structure';
import type { MailState } from './mail-status';
import { formatDate, plural, pluralize } from './format';

export const FICHE_STATUSES = [
	'a_lancer',
	'en_cours',
	'realisee',
	'suspendue',
	'abandonnee'
] as const;

export type FicheStatus = (typeof FICHE_STATUSES)[number];

/** A fiche's priorities (the plan has two; the database allows no other). */
export const PRIORITIES = [1, 2] as const;

/**
 * What a workbook out of date is asked (importProblemsSummary): the import page draws it as a link
 * to the file, the command prints it as it is.
 */
export const DOWNLOAD_PLAN_AGAIN = 'Téléchargez à nouveau le plan (/donnees/plan.xlsx)';

export const STATUS_LABELS: Record<FicheStatus, string> = {
	a_lancer: 'À lancer',
	en_cours: 'En cours',
	realisee: 'Réalisée',
	suspendue: 'Suspendue',
	abandonnee: 'Abandonnée'
};

/** A status after a count, agreeing with it: « 1 réalisée », « 2 réalisées », « 3 à lancer ». */
const STATUS_PLURALS: Record<FicheStatus, string> = {
	a_lancer: 'à lancer',
	en_cours: 'en cours',
	realisee: 'réalisées',
	suspendue: 'suspendues',
	abandonnee: 'abandonnées'
};

export function statusCount(status: FicheStatus, count: number): string {
	return pluralize(count, STATUS_LABELS[status].toLowerCase(), STATUS_PLURALS[status]);
}

/** The same words without the count, where the page sets the number apart (bold key figures). */
export function statusWord(status: FicheStatus, count: number): string {
	return plural(count, STATUS_LABELS[status].toLowerCase(), STATUS_PLURALS[status]);
}

/**
 * What a partner's update may say of its fiche: every status but « abandonnée », which only the
 * plan's own form gives, with its reason (a validated update never abandons a fiche).
 */
export const REPORTED_STATUSES = ['a_lancer', 'en_cours', 'realisee', 'suspendue'] as const;

export function isReportedStatus(value: string | undefined): boolean {
	return (REPORTED_STATUSES as readonly string[]).includes(value ?? '');
}

/**
 * What Lot numérique may set on a fiche itself, on a commission's decision (to suspend it, to take
 * it up again): « réalisée » and its 100 % come from those who carry the fiche, « abandonnée » from
 * the plan's own form.
 */
export const DECIDED_STATUSES = ['a_lancer', 'en_cours', 'suspendue'] as const;

export function isFicheStatus(value: string): value is FicheStatus {
	return (FICHE_STATUSES as readonly string[]).includes(value);
}

/**
 * A fiche's fields as every list of its changes names them, whoever made the change (its form,
 * its abandonment, the workbook import: /fiches/X/modifications, the import's preview); its four
 * texts as its page heads them (FicheTexts.svelte).
 */
export const FICHE_FIELD_LABELS = {
	code: 'Code',
	objective: 'Objectif',
	title: 'Titre',
	shortTitle: 'Titre court',
	priority: 'Priorité',
	status: 'Statut',
	context: 'Enjeux et contexte',
	existing: 'Dispositif existant',
	description: 'Descriptif de l’action',
	successFactors: 'Facteurs clés de réussite et points de vigilance',
	ownersNote: 'Note sur les porteurs',
	owners: 'Porteurs',
	partners: 'Partenaires',
	links: 'Fiches liées'
} as const;

/**
 * A partner's progress update, field by field, in one wording wherever it is shown: the partner's
 * form and its page (/espace/suivis/X), the conflict's table, the validation page (/admin/suivis/X),
 * a fiche's history and the séance's fiche file. The form's advancement alone says its unit
 * (UPDATE_FORM_LABELS).
 */
export const UPDATE_FIELD_LABELS = {
	reportedOn: 'Date de la mise à jour',
	status: 'Statut de la fiche',
	progress: 'Avancement',
	done: 'Ce qui a été fait',
	nextSteps: 'Prochaines étapes',
	difficulties: 'Difficultés rencontrées'
} as const;

/**
 * The fields of an indicator's line in the partner's form, after the indicator's name where a
 * message does not say which (its summary: « Nombre de communes, valeur : … »).
 */
export const MEASUREMENT_PART_LABELS = {
	date: 'date de la mesure',
	value: 'valeur',
	comment: 'commentaire'
} as const;

/** The partner's form: « Avancement en % », the number typed without its sign. */
export const UPDATE_FORM_LABELS = { ...UPDATE_FIELD_LABELS, progress: 'Avancement en %' } as const;

export const ABANDON_BY_PLAN_MESSAGE = `Une fiche n’est abandonnée que par Lot numérique, avec sa raison, dans le plan : choisissez un autre statut et dites-le dans « ${UPDATE_FIELD_LABELS.difficulties} ».`;

/**
 * How each field of the plan's structure is named: by a revision, by the preview of an import of
 * the plan's workbook.
 */
export const STRUCTURE_LABELS = {
	axis: { code: 'Code', short_name: 'Nom court', label: 'Intitulé' },
	orientation: { code: 'Code', axis: 'Axe', label: 'Intitulé' },
	objective: {
		number: 'Numéro',
		orientation: 'Orientation',
		label: 'Intitulé',
		synthesis_label: 'Intitulé de synthèse'
	}
} as const satisfies Record<StructureLevel, Record<string, string>>;

/** A partner's progress update, from draft to validation. */
export const UPDATE_STATE_LABELS = {
	draft: 'brouillon',
	submitted: 'soumise, en attente de validation',
	returned: 'renvoyée pour correction',
	validated: 'validée et publiée'
} as const;

/**
 * A return for correction, said before its comment on the partner's pages (`by` « Lot numérique »)
 * and on the staff's page of the update (the person who returned it), whatever its state since:
 * « Renvoyée pour correction le 7 décembre 2026 par Sophie Martin ». The day or the name is left
 * out when unknown.
 */
export function returnedWords(returnedAt: string | null, by: string | null): string {
	return `Renvoyée pour correction${returnedAt ? ` le ${formatDate(returnedAt)}` : ''}${by ? ` par ${by}` : ''}`;
}

/**
 * An update named by its number, as in its address (`/espace/suivis/15`): where two of a fiche
 * share a day (`sameDayUpdates`), « mise à jour n° 15 ».
 */
export function updateNumberWords(id: number): string {
	return `mise à jour n°\u00a0${id}`;
}

/**
 * What Lot numérique did with a partner's update, after « Soumise le … ; »: the state in one word
 * (« validée », « renvoyée »).
 */
export const UPDATE_DECISION_WORDS = { validated: 'validée', returned: 'renvoyée' } as const;

/**
 * A sent update's state in one word, where a list puts it beside a name (a campaign's follow-up):
 * the short form of UPDATE_STATE_LABELS.
 */
export const UPDATE_STATE_WORDS = { submitted: 'soumise', ...UPDATE_DECISION_WORDS } as const;

/**
 * Who wrote the version of an update that a page shows: the person who saved or submitted it last
 * (« saisie par Bruno Petit »), and the one who began it when that was someone else (« commencée
 * par Claire Martin, soumise par Bruno Petit »). One wording for every page that names them; null
 * when no name is known.
 */
export function updateAuthorship(update: {
	state: keyof typeof UPDATE_STATE_LABELS;
	authorId: number | null;
	authorName: string | null;
	updatedBy: number | null;
	updatedByName: string | null;
}): string | null {
	const last = update.updatedByName ?? update.authorName;
	if (last === null) return null;
	if (
		update.updatedByName === null ||
		update.authorName === null ||
		update.authorId === update.updatedBy
	)
		return `saisie par ${last}`;
	const verb = update.state === 'draft' ? 'enregistrée' : 'soumise';
	return `commencée par ${update.authorName}, ${verb} par ${update.updatedByName}`;
}

/** An organisation that the workbook lists again after its retirement: what its import does. */
export const RESTORED_WORD = 'rétablie';

/** The message of a 404 that says nothing more (the error page then shows its own words alone). */
export const PAGE_NOT_FOUND = 'Page introuvable.';

/**
 * A progress update that does not exist, or that the account signed in may not see: one answer
 * (404) for both, so that another organisation's updates cannot be told from missing ids.
 */
export const UPDATE_NOT_FOUND =
	'Cette mise à jour n’existe pas, ou le compte connecté n’y a pas accès : vérifiez le lien, ou connectez-vous avec le compte de l’organisation qui l’a écrite (un autre compte a peut-être été ouvert dans un autre onglet).';

/** An account that the address or the form names and that does not exist (404). */
export const UNKNOWN_ACCOUNT = 'Ce compte n’existe pas.';

/** A fiche that the address or the form names and that does not exist (404). */
export const FICHE_NOT_FOUND = 'Cette fiche n’existe pas.';

/** A séance of the commission that the address or the form names and that does not exist (404). */
export const SITTING_NOT_FOUND = 'Cette séance n’existe pas.';

/**
 * A séance that does not exist or is not yet this account's to see, as its page and its files
 * answer both (404) to a signed-in reader who is not of the commission nor of the staff: its
 * number does not tell whether a séance being prepared exists.
 */
export const SITTING_NOT_FOUND_OR_UNPUBLISHED =
	'Cette séance n’existe pas, ou le compte connecté n’y a pas accès : une séance est publiée à sa clôture, avec son relevé ; jusque-là, seuls les membres de la commission et l’équipe de Lot numérique la consultent.';

/** An organisation that the address or the form names and that does not exist (404). */
export const ORGANISATION_NOT_FOUND = 'Cette organisation n’existe pas.';

/** A bilan (an edition of a year) that the address or the form names and that does not exist (404). */
export const EDITION_NOT_FOUND = 'Ce bilan n’existe pas.';

/** A follow-up campaign that the address or the form names and that does not exist (404). */
export const CAMPAIGN_NOT_FOUND = 'Cette campagne n’existe pas.';

/** An axis, orientation or objective of the plan that the form names and that does not exist (404). */
export const PLAN_ITEM_NOT_FOUND = 'Cet élément du plan n’existe pas.';

/** A chart of the dashboard that the address names and that does not exist (404). */
export const FIGURE_NOT_FOUND = 'Ce graphique n’existe pas.';

/** A value typed where a number is expected (a measurement, a target, a baseline) that is none. */
export const NOT_A_NUMBER = 'La valeur doit être un nombre (exemple : 12 ou 12,5).';

/** The current password given to change it is not the account's (the form, the service). */
export const WRONG_CURRENT_PASSWORD = 'Le mot de passe actuel est incorrect.';

/** An update its partner may read but no longer change: « la version soumise », « … publiée ». */
export const UPDATE_VERSION_WORDS = { submitted: 'soumise', validated: 'publiée' } as const;

/** A sitting (« séance ») of the commission: prepared, held, then closed for good. */
export const SITTING_STATE_LABELS = {
	preparation: 'en préparation',
	held: 'tenue',
	closed: 'close'
} as const;

/** An annual report (« bilan »). */
export const EDITION_STATE_LABELS = { draft: 'brouillon', published: 'publié' } as const;

export const OPINION_LABELS = {
	favorable: 'Avis favorable',
	reserve: 'Avis réservé',
	defavorable: 'Avis défavorable',
	prise_acte: 'Prise d’acte'
} as const;

/**
 * How a text of the plan is typed (a fiche's texts, a bilan's introduction and axis texts), which
 * cellToRichText reads: said by each form that takes one.
 */
export const RICH_TEXT_TYPING =
	'Un paragraphe par ligne ; « - » en début de ligne pour une puce, « 1. » pour une étape numérotée ; deux espaces devant pour une sous-puce ; une ligne vide sépare deux listes.';

/** The kinds of a commission decision, as the séance's form offers them (capitalized there). */
export const DECISION_KIND_LABELS = {
	priority: 'changement de priorité',
	opinion: 'avis',
	free: 'décision libre'
} as const;

/**
 * The changes of a séance's agenda and attendees that one journal action each records, told apart
 * by the `kind` of their « après » (`addAgendaFiches`, `addAgendaFreeItem`, `addAttendee`): the
 * journal's « Quoi » (`auditActionLabel`) and « avant → après » (`auditChanges`) name them.
 */
export const SITTING_CHANGE_LABELS = {
	fiches: 'fiches ajoutées',
	'free-item': 'point libre ajouté',
	member: 'membre présent',
	guest: 'invité ajouté'
} as const;

type SittingChangeKind = keyof typeof SITTING_CHANGE_LABELS;

/** The change a journal row's « après » records (SITTING_CHANGE_LABELS), or null for none. */
export function sittingChangeKind(after: unknown): SittingChangeKind | null {
	const kind = (after as { kind?: unknown } | null)?.kind;
	return typeof kind === 'string' && Object.hasOwn(SITTING_CHANGE_LABELS, kind)
		? (kind as SittingChangeKind)
		: null;
}

/** An opinion's words (« Avis favorable »), or '' for a value the portal does not know. */
export function opinionLabel(opinion: string | null | undefined): string {
	return opinion && opinion in OPINION_LABELS
		? OPINION_LABELS[opinion as keyof typeof OPINION_LABELS]
		: '';
}

/**
 * A decision as every list writes it — the séance's page, its closing, the fiche's page, the
 * bilan: « Priorité 2 → 1 » (« Priorité → 1 » where the old priority is not known), « Avis
 * favorable », and « Décision » for a free one (« Décision libre » names the kind only where the
 * kinds are offered to choose: the séance's form, DECISION_KIND_LABELS).
 */
export function decisionLabel(d: {
	kind: string;
	opinion: string | null;
	previousPriority?: number | null;
	newPriority: number | null;
}): string {
	if (d.kind === 'priority')
		return d.previousPriority == null
			? `Priorité → ${d.newPriority}`
			: `Priorité ${d.previousPriority} → ${d.newPriority}`;
	return (d.kind === 'opinion' && opinionLabel(d.opinion)) || 'Décision';
}

/**
 * A decision as a séance's form sent it (`kind`, `new_priority`, `opinion`), in words: said beside
 * its text when it could not be recorded, so that a priority or an opinion chosen is not lost.
 * Written as decisionLabel writes it; a free decision by the kind chosen in the form.
 */
export function typedDecisionLabel(values: Record<string, string | undefined>): string {
	if (values.kind === 'priority' && /^[12]$/.test(values.new_priority ?? ''))
		return decisionLabel({
			kind: 'priority',
			opinion: null,
			newPriority: Number(values.new_priority)
		});
	if (values.kind === 'opinion') return opinionLabel(values.opinion);
	return values.kind === 'free' ? capitalized(DECISION_KIND_LABELS.free) : '';
}

export const ROLE_LABELS = {
	admin: 'Équipe de Lot numérique (administration)',
	commission: 'Membre de la commission des usages numériques',
	partenaire: 'Partenaire'
} as const;

/**
 * What each role lets its holder do, said to them (the invitation mail): it follows « il vous
 * permet de ».
 */
export const ROLE_PURPOSES = {
	admin:
		'administrer le portail : les comptes, le plan, la relecture des mises à jour des partenaires, les campagnes de suivi et les bilans',
	commission:
		'préparer et tenir les séances de la commission (ordre du jour, présents, décisions datées et motivées), les clore et publier leur relevé de décisions',
	partenaire:
		'rendre compte de l’avancement des fiches du schéma auxquelles votre organisation participe, par des mises à jour que l’équipe relit avant de les publier'
} as const satisfies Record<keyof typeof ROLE_LABELS, string>;

/**
 * A person who may be marked present at a séance, as its list names them: a member by name, one of
 * Lot numérique's team « Nom (Lot numérique) ».
 */
export function attendeeLabel(person: { name: string; role: keyof typeof ROLE_LABELS }): string {
	return person.role === 'admin' ? `${person.name} (Lot numérique)` : person.name;
}

export const ORGANISATION_KINDS = [
	'syndicat_mixte',
	'departement',
	'region',
	'state',
	'epci',
	'commune',
	'public_body',
	'association',
	'chamber',
	'company',
	'training',
	'fund'
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
	syndicat_mixte: 'Syndicat mixte',
	departement: 'Département',
	region: 'Région',
	state: 'État et services de l’État',
	epci: 'Intercommunalité (EPCI)',
	commune: 'Communes',
	public_body: 'Établissement ou organisme public',
	association: 'Association ou réseau',
	chamber: 'Chambre consulaire',
	company: 'Entreprises',
	training: 'Formation',
	fund: 'Fonds de financement'
};

/** Why a message of the outbox was not sent (`cancelled`), in the words of its reasons. */
const CANCELLED_REASONS =
	'lien périmé, destinataire désactivé, désabonné ou passé à un autre rôle ou une autre organisation depuis, campagne close, rappel dépassé ou séance supprimée';

/** French words for the states of a message of the outbox (/admin/courriels). */
export const MAIL_STATUS_LABELS: Record<MailState, string> = {
	pending: 'en attente',
	sending: 'en cours d’envoi',
	sent: 'remis au serveur de courrier',
	failed: 'refusé (définitif)',
	given_up: 'abandonné (panne du serveur de courrier)',
	interrupted: 'interrompu (peut-être remis, jamais renvoyé)',
	kept: 'gardé ici, non envoyé par SMTP',
	// Every reason a message is cancelled for: the sender (a dead link, a recipient gone, a
	// campaign's mail out of date), a campaign closed, a newer reminder and a séance deleted before
	// it left (cancelPendingAbout).
	cancelled: `non envoyé (${CANCELLED_REASONS})`
};

/**
 * The words of one message's state: a message not sent says only that, its own reason (a dead
 * link, a recipient gone, its campaign closed, a reminder out of date, its séance deleted) being
 * shown beside it, not the list of them all.
 */
export function mailStatusLabel(status: MailState): string {
	return status === 'cancelled' ? 'non envoyé' : MAIL_STATUS_LABELS[status];
}

/** The same words agreeing with a count of several messages (« 13 gardés ici… »). */
const PLURAL_LABELS: Record<MailState, string> = {
	...MAIL_STATUS_LABELS,
	failed: 'refusés (définitif)',
	given_up: 'abandonnés (panne du serveur de courrier)',
	interrupted: 'interrompus (peut-être remis, jamais renvoyés)',
	kept: 'gardés ici, non envoyés par SMTP',
	cancelled: `non envoyés (${CANCELLED_REASONS})`
};

export function mailStatusCount(status: MailState, count: number): string {
	const words = plural(count, MAIL_STATUS_LABELS[status], PLURAL_LABELS[status]);
	return `${count} ${words}`;
}

/**
 * One word for one thing, on every page, mail and message: a campaign's date is its
 * « échéance » (never « date limite »), the messages that come before and after it its
 * « rappels » (never « relances »); an indicator's starting value is its « valeur de départ »
 * (the plan's workbook column, never « valeur de référence »).
 */
export const CAMPAIGN_WORDS = { deadline: 'échéance', reminders: 'rappels' } as const;
export const BASELINE_WORD = 'valeur de départ';

/**
 * The organisations a campaign does not wait for (no active partner account), named together
 * after those it waits for: on a campaign's page by fiche and in the commission's file.
 */
export function notAwaitedWords(count: number): string {
	return plural(
		count,
		'Non attendue, faute de compte partenaire actif (ni prévenue ni comptée)',
		'Non attendues, faute de compte partenaire actif (ni prévenues ni comptées)'
	);
}

/**
 * An indicator's fields, one name each: its form's labels (capitalized) and every list of its
 * changes, whoever made the change (« Indicateur « … » : cible », the form's and the workbook
 * import's alike, and the import's preview). The workbook's column headings are a file format and
 * keep their own words (« Libellé », workbook.ts).
 */
export const INDICATOR_FIELD_LABELS = {
	label: 'intitulé',
	unit: 'unité',
	kind: 'nature',
	target: 'cible',
	target_date: 'date de la cible',
	baseline: BASELINE_WORD,
	baseline_date: `date de la ${BASELINE_WORD}`,
	state: 'état'
} as const;

/**
 * An indicator's « état » in a list of changes (the import's preview, a fiche's history, a
 * conflict's list): in service, or retired, said with what a newcomer may fear lost.
 */
export const INDICATOR_STATE_WORDS = {
	active: 'en service',
	retired: 'retiré (ses mesures restent)'
} as const;

/**
 * Why an indicator's measurements tie it down: they are kept under its N° and read in its nature
 * and unit, so that changing these would change what they say. The workbook's refusal of a row
 * moved onto another indicator's N° says it too.
 */
export const MEANING_WOULD_CHANGE = 'elles changeraient de sens';

/** « 3 mesures publiées : elles changeraient de sens » (« 1 mesure publiée : elle changerait… »). */
export const publishedMeasurementsMeaning = (count: number) =>
	`${pluralize(count, 'mesure publiée', 'mesures publiées')} : ${plural(count, 'elle changerait de sens', MEANING_WOULD_CHANGE)}`;

/** An indicator's nature changed (form and workbook): refused once it has published measurements. */
export const measuredKindRefusal = (count: number) =>
	`Cet indicateur a ${publishedMeasurementsMeaning(count)}. Retirez-le et créez un nouvel indicateur.`;

/**
 * The measurements a new unit of an indicator would change the reading of: published ones, and
 * submitted ones (typed in the unit of today, published in the new one once validated).
 * « 1 mesure publiée », « 2 mesures publiées et 1 mesure soumise, pas encore validée ».
 */
export const measurementsRead = (published: number, submitted: number) =>
	[
		...(published > 0 ? [pluralize(published, 'mesure publiée', 'mesures publiées')] : []),
		...(submitted > 0
			? [
					pluralize(
						submitted,
						'mesure soumise, pas encore validée',
						'mesures soumises, pas encore validées'
					)
				]
			: [])
	].join(' et ');

/**
 * An indicator's unit changed in the fiche's form although it has published or submitted
 * measurements: saved only with the box beside the field ticked, as they will read in the new unit.
 */
export const measuredUnitRefusal = (
	counts: { published: number; submitted: number },
	before: string,
	after: string
) => {
	const count = counts.published + counts.submitted;
	return `Cet indicateur a ${measurementsRead(counts.published, counts.submitted)} : ${plural(count, 'elle se lira', 'elles se liront')} ${unitWords(after)} et non plus ${unitWords(before)}. Si c’est bien ce ${plural(count, 'qu’elle mesure', 'qu’elles mesurent')}, cochez la case « ${UNIT_CONFIRM_LABEL} » ; sinon, gardez son unité, ou retirez-le et créez un nouvel indicateur.`;
};

/** « en « communes » », « sans unité ». */
export const unitWords = (unit: string) => (unit === '' ? 'sans unité' : `en « ${unit} »`);

/** The box beside an indicator's unit in the fiche's form. */
export const UNIT_CONFIRM_LABEL = 'Changer l’unité des mesures publiées';

/** An empty value in a list of changes (« Titre court : (vide) → … »): history, conflicts, import preview. */
export const EMPTY_VALUE = '(vide)';

/** A label at the start of a sentence or a cell: « soumise… » → « Soumise… ». */
export function capitalized(label: string): string {
	return label.charAt(0).toUpperCase() + label.slice(1);
}

/** Said wherever a message is written but, without SMTP_URL, kept in the outbox and not sent. */
export const NO_MAIL_RELAY =
	'ce portail n’envoie pas de courriels (pas de serveur de courrier configuré). Les messages se lisent dans les courriels de l’administration.';

/**
 * An open-data file's link on a bilan's page (`/bilans/2025`), by its file name as the bilan's
 * data package lists it: « Mises à jour (CSV) », « Mesures datées de 2025 (CSV) ».
 */
export function openDataFileLabel(path: string): string {
	const [, base = path, kind = ''] = /^(.+)\.(json|csv)$/.exec(path) ?? [];
	const year = /^mesures-(\d{4})$/.exec(base)?.[1];
	const words = year
		? `Mesures datées de ${year}`
		: ((
				{
					plan: 'Plan',
					fiches: 'Fiches',
					mesures: 'Mesures',
					'mises-a-jour': 'Mises à jour',
					decisions: 'Décisions de la commission'
				} as Record<string, string>
			)[base] ?? base);
	return kind ? `${words} (${kind.toUpperCase()})` : words;
}

/**
 * What follows a fiche's code as a record of its day names it (`then`: the plan's history, a
 * closed séance) when the fiche moved since to another objective: « (aujourd’hui 10-3) » after
 * « 9-1 »; nothing when its code is the same today.
 */
export function todaysCodeWords(then: string, today: string): string {
	return then === today ? '' : ` (aujourd’hui ${today})`;
}

/**
 * What follows « séance close » for a séance closed with `count` decisions: « sans décision »,
 * « : sa décision a pris effet », « : ses décisions ont pris effet » (the history, the séance page).
 */
export function closedSittingWords(count: number): string {
	return count === 0
		? ' sans décision'
		: ` : ${plural(count, 'sa décision a pris effet', 'ses décisions ont pris effet')}`;
}

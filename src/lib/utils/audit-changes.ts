import {
	formatClock,
	formatDate,
	formatNumber,
	formatPercent,
	formatReminderOffset
} from './format';
import {
	DECISION_KIND_LABELS,
	EDITION_STATE_LABELS,
	opinionLabel,
	ROLE_LABELS,
	SITTING_CHANGE_LABELS,
	SITTING_STATE_LABELS,
	STATUS_LABELS,
	UPDATE_STATE_LABELS,
	isFicheStatus
} from './vocabulary';

/** French names of the fields the audit journal records before and after a change. */
const FIELD_LABELS: Record<string, string> = {
	email: 'adresse',
	name: 'nom',
	role: 'rôle',
	// A partner account's organisation, named at display time (auditChanges' `organisationNames`).
	organisationId: 'organisation',
	disabled: 'désactivé',
	state: 'état',
	priority: 'priorité',
	newPriority: 'nouvelle priorité',
	previousPriority: 'priorité précédente',
	reportedOn: 'date',
	status: 'statut',
	progress: 'avancement',
	measurements: 'mesures',
	fiche: 'fiche',
	kind: 'type',
	opinion: 'avis',
	text: 'texte',
	heldOn: 'date de la séance',
	startsAt: 'heure de la séance',
	title: 'titre',
	place: 'lieu',
	intent: 'demande',
	version: 'version',
	// Campaigns and séances' attendees.
	deadline: 'échéance',
	sittingId: 'séance préparée (n°)',
	// The same, in the journal rows written before the code named a séance `sitting`.
	sessionId: 'séance préparée (n°)',
	// A campaign's reminders as typed (« -14, -3, +1 ») and as read (`reminderDays`, « J-14 »): a row
	// that has both shows the second (flatten); `reminders` is also a mail preference's box.
	reminders: 'rappels',
	reminderDays: 'rappels',
	// A change of a campaign's dates: the box « Prévenir les organisations… » (they are told only if
	// the deadline moved).
	notify: 'prévenir les organisations',
	// Mail preferences (/compte): their other boxes, and those a save kept as stored, changed
	// elsewhere meanwhile (their names).
	validations: 'validations',
	commission: 'commission',
	kept: 'gardées telles quelles (changées ailleurs entre-temps)',
	// A validation's measurements that replaced those published of the same day (review.ts).
	replacedMeasurements: 'mesures remplacées',
	indicatorId: 'indicateur (n°)',
	measuredOn: 'date de la mesure',
	value: 'valeur',
	updateId: 'mise à jour (n°)',
	// The journal's own purge (retention).
	events: 'événements de sécurité',
	tallies: 'décomptes',
	fiches: 'fiches',
	scope: 'fiches concernées',
	axisId: 'axe (n°)',
	userId: 'compte (n°)',
	guestName: 'invité',
	// A fiche's published state (a validation) and the plan's own fields (plan authoring writes the
	// database's names: synthesis_label, owners_note…; the fiche form its own: shortTitle…).
	lastUpdate: 'dernière mise à jour',
	code: 'code',
	label: 'intitulé',
	synthesis_label: 'intitulé de synthèse',
	synthesisLabel: 'intitulé de synthèse',
	short_name: 'nom court',
	full_name: 'nom complet',
	fullName: 'nom complet',
	slug: 'identifiant',
	axis: 'axe',
	orientation: 'orientation',
	objective: 'objectif',
	position: 'ordre',
	short_title: 'titre court',
	shortTitle: 'titre court',
	context: 'contexte',
	existing: 'existant',
	description: 'description',
	success_factors: 'facteurs clés de succès',
	successFactors: 'facteurs clés de succès',
	owners_note: 'note sur les porteurs',
	ownersNote: 'note sur les porteurs',
	owners: 'porteurs',
	partners: 'partenaires',
	links: 'fiches liées',
	indicators: 'indicateurs',
	unit: 'unité',
	target: 'cible',
	target_date: 'date de la cible',
	baseline: 'valeur de départ',
	retired: 'retiré',
	merged: 'fusion',
	combined: 'lignes réunies',
	adopted_on: 'adopté le',
	finalised_on: 'finalisé le',
	period_start: 'début',
	period_end: 'fin',
	territory: 'territoire',
	source: 'source',
	count: 'nombre',
	number: 'numéro',
	baseline_date: 'date de la valeur de départ'
};

/** Whether the journal has a French name for the field `key` (audit-changes.spec.ts lists them). */
export function namesField(key: string): boolean {
	return Object.hasOwn(FIELD_LABELS, key);
}

/**
 * A field's French name; a fiche's indicator is named in the rows of its changes by its number
 * (`indicator.31.label`: « indicateur n° 31 : intitulé ») or, added, by its place in the form
 * (`indicator.new.1`: « indicateur ajouté (1) »).
 */
function fieldLabel(key: string): string {
	const named = FIELD_LABELS[key];
	if (named) return named;
	const added = /^indicator\.new\.(\d+)$/.exec(key);
	if (added) return `indicateur ajouté (${added[1]})`;
	const field = /^indicator\.(\d+)\.(\w+)$/.exec(key);
	if (field) return `indicateur n° ${field[1]} : ${FIELD_LABELS[field[2]!] ?? field[2]}`;
	return key;
}

/** What a plan import changed, element by element (its journal row's « après »). */
const ENTITY_LABELS: Record<string, string> = {
	plan: 'plan',
	axis: 'axe',
	orientation: 'orientation',
	objective: 'objectif',
	organisation: 'organisation',
	fiche: 'fiche',
	indicator: 'indicateur'
};
// Nouns: the element may be a fiche or an axis, and a participle would have to agree with it.
const ACTION_LABELS: Record<string, string> = {
	created: 'ajout',
	updated: 'modification',
	moved: 'déplacement',
	retired: 'retrait'
};

/** « fiche 4-2 : ajout (titre, priorité) », from `{ entity, key, action, fields }`. */
function importedElement(value: Record<string, unknown>): string {
	const fields = Array.isArray(value.fields) ? value.fields.map((f) => fieldLabel(String(f))) : [];
	const entity = ENTITY_LABELS[String(value.entity)] ?? String(value.entity);
	const action = ACTION_LABELS[String(value.action)] ?? String(value.action);
	return `${entity} ${String(value.key)} : ${action}${fields.length ? ` (${fields.join(', ')})` : ''}`;
}

// A campaign's choice of fiches (its `scope`, whose `kind` is not a decision's).
const SCOPE_LABELS: Record<string, string> = {
	all: 'toutes',
	axis: 'celles d’un axe',
	priority: 'celles d’une priorité',
	organisation: 'celles d’une organisation'
};

// A journaled `state` is a progress update's, a sitting's or an edition's (their words agree on
// « brouillon »).
const STATE_LABELS: Record<string, string> = {
	...EDITION_STATE_LABELS,
	...SITTING_STATE_LABELS,
	...UPDATE_STATE_LABELS
};
// A decision's kind, or which change of a séance's agenda or attendees a row records.
const KIND_LABELS: Record<string, string> = { ...DECISION_KIND_LABELS, ...SITTING_CHANGE_LABELS };
// What a partner asked for when saving a progress update.
const INTENT_LABELS: Record<string, string> = {
	draft: 'enregistrer le brouillon',
	submit: 'soumettre à Lot numérique',
	replace: 'remplacer la version enregistrée'
};

/** What the journal shows of values it cannot name from the row alone (read for the page). */
export interface AuditNames {
	/** Organisations by id, as they are named now; an id missing here no longer exists. */
	organisationNames?: Readonly<Record<number, string>>;
}

/** « Lot numérique », or « n° 19 (supprimée) » for an organisation that no longer exists. */
function organisationShown(id: number, names: AuditNames): string {
	if (!names.organisationNames) return `n° ${id}`;
	return names.organisationNames[id] ?? `n° ${id} (supprimée)`;
}

/** An organisation named by number: an account's, or a campaign's aimed at one (`scope`). */
const isOrganisationKey = (key: string) =>
	key === 'organisationId' || key === 'scope.organisationId';

function show(key: string, value: unknown, names: AuditNames = {}): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') return value ? 'oui' : 'non';
	if (isOrganisationKey(key) && typeof value === 'number') return organisationShown(value, names);
	if (typeof value === 'number') {
		if (key === 'reminderDays') return formatReminderOffset(value);
		return key === 'progress' ? formatPercent(value) : formatNumber(value);
	}
	if (typeof value === 'string') {
		if (key === 'status' && isFicheStatus(value)) return STATUS_LABELS[value];
		if (key === 'state' && value in STATE_LABELS) return STATE_LABELS[value]!;
		if (key === 'scope.kind' && value in SCOPE_LABELS) return SCOPE_LABELS[value]!;
		if (key === 'kind' && value in KIND_LABELS) return KIND_LABELS[value]!;
		if (key === 'intent' && value in INTENT_LABELS) return INTENT_LABELS[value]!;
		if (key === 'kept') return fieldLabel(value);
		if (key === 'role' && value in ROLE_LABELS)
			return ROLE_LABELS[value as keyof typeof ROLE_LABELS];
		if (key === 'opinion' && opinionLabel(value)) return opinionLabel(value);
		if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
		// A séance's hour as every page writes it: « 14 h 30 », not « 14:30 ».
		if (key === 'startsAt' && /^\d{2}:\d{2}$/.test(value)) return formatClock(value);
		return value;
	}
	if (Array.isArray(value))
		return value.map((v) => show(key, v, names)).join(isRecord(value[0]) ? ' ; ' : ', ');
	if (isRecord(value) && 'entity' in value && 'action' in value) return importedElement(value);
	if (isRecord(value))
		return Object.entries(value)
			.map(([k, v]) => `${fieldLabel(k)} : ${show(k, v, names)}`)
			.join(', ');
	return JSON.stringify(value);
}

function parse(json: string | null): unknown {
	if (json === null) return undefined;
	try {
		return JSON.parse(json) as unknown;
	} catch {
		return json;
	}
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** The name of a journaled value that is not a record of fields: a plan import's list of elements. */
function topLevelName(value: unknown): string {
	const imported = Array.isArray(value) && value.every((v) => isRecord(v) && 'entity' in v);
	return imported && value.length > 0 ? 'éléments du classeur' : 'valeur';
}

/**
 * Nested records become « fiche — statut » lines; a campaign's `scope.kind` keeps its parent's
 * name, since its values are not a decision's kinds.
 */
function flatten(
	value: unknown,
	prefix = '',
	parent = ''
): Map<string, { key: string; value: unknown }> {
	const fields = new Map<string, { key: string; value: unknown }>();
	if (!isRecord(value)) {
		if (value !== undefined) fields.set(prefix || topLevelName(value), { key: prefix, value });
		return fields;
	}
	for (const [key, inner] of Object.entries(value)) {
		// A campaign's opening records its reminders as typed and as read: shown once, as read.
		if (key === 'reminders' && 'reminderDays' in value) continue;
		const label = fieldLabel(key);
		const path = prefix ? `${prefix} — ${label}` : label;
		if (isRecord(inner)) for (const [p, v] of flatten(inner, path, key)) fields.set(p, v);
		else fields.set(path, { key: parent === 'scope' ? `scope.${key}` : key, value: inner });
	}
	return fields;
}

export interface AuditChange {
	field: string;
	before: string | null;
	after: string | null;
}

/**
 * The journal's « avant → après » as readable lines, one per field that changed (or that one side
 * alone records): « état : soumise → validée », « avancement : — → 40 % ».
 */
export function auditChanges(
	beforeJson: string | null,
	afterJson: string | null,
	names: AuditNames = {}
): AuditChange[] {
	const before = flatten(parse(beforeJson));
	const after = flatten(parse(afterJson));
	const changes: AuditChange[] = [];
	for (const field of new Set([...before.keys(), ...after.keys()])) {
		const b = before.get(field);
		const a = after.get(field);
		const shownBefore = b ? show(b.key, b.value, names) : null;
		const shownAfter = a ? show(a.key, a.value, names) : null;
		if (b && a && shownBefore === shownAfter) continue;
		changes.push({ field, before: shownBefore, after: shownAfter });
	}
	return changes;
}

/**
 * The organisations that journal rows name by number (an account's `organisationId`, a campaign's
 * aimed at one organisation), for one read of their names for a whole page of the journal.
 */
export function journaledOrganisationIds(
	rows: readonly { before: string | null; after: string | null }[]
): number[] {
	const ids = new Set<number>();
	for (const row of rows)
		for (const json of [row.before, row.after])
			for (const { key, value } of flatten(parse(json)).values())
				if (isOrganisationKey(key) && typeof value === 'number') ids.add(value);
	return [...ids];
}

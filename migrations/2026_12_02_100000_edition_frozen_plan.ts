import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// Since the syndicat edits its plan (fiche texts, owners, partners, links, indicators, structure),
// a published edition keeps the plan as it stood at publication: the snapshot gains `frozenPlan`
// (structure labels; each fiche's code, objective, title, owners with scope, partners, linked
// fiches, indicators with label, unit, kind, target, baseline and retired state) and the edition
// gains `frozen_texts` (each fiche's texts, by code), read only by the pages that show them.
//
// Editions published before this migration are backfilled from the plan as it stands now, taken
// back to each edition's publication where the revisions allow it: for every revision written
// after the edition was published, the « before » of its earliest change of a field is the value
// at publication — fiche codes, titles and short titles, axis, orientation and objective labels,
// indicator labels; fiches and indicators created after the publication are left out. Revisions
// keep the other fields (texts, owners, partners, links, targets) as readable sentences, not as
// data: those are the migration's. The freeze trigger is lifted for this one statement and put
// back as it was.

/** The earliest « before » of a field changed after the edition's publication, or NULL. */
function before(revisions: string, field: string): string {
	return `(SELECT json_extract(c.value, '$.before') FROM plan_revision r, json_each(r.changes) c
		WHERE r.created_at > edition.published_at AND (${revisions}) AND json_extract(c.value, '$.field') IN (${field})
		ORDER BY r.id LIMIT 1)`;
}

const of = (entity: string, id: string) => `r.entity = '${entity}' AND r.entity_id = ${id}`;

/** A value as it was at publication: the earliest « before » after it, else today's value. */
const then = (revisions: string, field: string, now: string) =>
	`COALESCE(${before(revisions, field)}, ${now})`;

/** The same for a field that may be empty (an empty « before » was a null). */
const thenNullable = (revisions: string, field: string, now: string) =>
	`CASE WHEN ${before(revisions, field)} IS NULL THEN ${now} ELSE NULLIF(${before(revisions, field)}, '') END`;

const createdAfter = (entity: string, id: string) =>
	`EXISTS (SELECT 1 FROM plan_revision r WHERE ${of(entity, id)} AND r.action = 'created'
		AND r.created_at > edition.published_at)`;

const ficheCode = then(of('fiche', 'f.id'), `'code'`, 'f.code');

/** An indicator's label: changed by the import (entity indicator) or by the fiche's form. */
const INDICATOR_LABEL = then(
	`${of('indicator', 'i.id')} OR ${of('fiche', 'i.fiche_id')}`,
	`'label', 'indicator.' || i.id || '.label'`,
	'i.label'
);

const FICHES_AT_PUBLICATION = `FROM (SELECT fiche.* FROM fiche JOIN objective ON objective.id = fiche.objective_id
		ORDER BY objective.number, fiche.number) f
	WHERE NOT ${createdAfter('fiche', 'f.id')}`;

const FROZEN_PLAN = `json_object(
	'axes', json((SELECT json_group_array(json_object(
			'code', a.code,
			'shortName', ${then(of('axis', 'a.id'), `'short_name', 'shortName'`, 'a.short_name')},
			'label', ${then(of('axis', 'a.id'), `'label'`, 'a.label')}))
		FROM (SELECT * FROM axis ORDER BY position) a)),
	'orientations', json((SELECT json_group_array(json_object(
			'code', o.code, 'axis', o.axis_code,
			'label', ${then(of('orientation', 'o.id'), `'label'`, 'o.label')}))
		FROM (SELECT orientation.*, axis.code AS axis_code FROM orientation
			JOIN axis ON axis.id = orientation.axis_id ORDER BY orientation.position) o)),
	'objectives', json((SELECT json_group_array(json_object(
			'number', b.number, 'orientation', b.orientation_code,
			'label', ${then(of('objective', 'b.id'), `'label'`, 'b.label')}))
		FROM (SELECT objective.*, orientation.code AS orientation_code FROM objective
			JOIN orientation ON orientation.id = objective.orientation_id ORDER BY objective.number) b)),
	'fiches', json((SELECT json_group_array(json_object(
			'code', ${ficheCode},
			'objective', CAST(substr(${ficheCode}, 1, instr(${ficheCode}, '-') - 1) AS INTEGER),
			'title', ${then(of('fiche', 'f.id'), `'title'`, 'f.title')},
			'shortTitle', ${thenNullable(of('fiche', 'f.id'), `'shortTitle', 'short_title'`, 'f.short_title')},
			'owners', json((SELECT json_group_array(json_object(
					'organisation', x.name, 'scope', x.scope, 'note', x.note))
				FROM (SELECT organisation.name, fiche_owner.scope, fiche_owner.note FROM fiche_owner
					JOIN organisation ON organisation.id = fiche_owner.organisation_id
					WHERE fiche_owner.fiche_id = f.id ORDER BY fiche_owner.position) x)),
			'partners', json((SELECT json_group_array(json_object(
					'organisation', x.name, 'detail', x.detail))
				FROM (SELECT organisation.name, fiche_partner.detail FROM fiche_partner
					JOIN organisation ON organisation.id = fiche_partner.organisation_id
					WHERE fiche_partner.fiche_id = f.id ORDER BY fiche_partner.position) x)),
			'linked', json((SELECT json_group_array(x.code)
				FROM (SELECT linked.code FROM fiche_link JOIN fiche linked ON linked.id = fiche_link.linked_fiche_id
					WHERE fiche_link.fiche_id = f.id ORDER BY fiche_link.position) x)),
			'indicators', json((SELECT json_group_array(json_object(
					'label', ${INDICATOR_LABEL},
					'unit', i.unit, 'kind', i.kind, 'target', i.target, 'targetDate', i.target_date,
					'baseline', i.baseline, 'baselineDate', i.baseline_date,
					'retired', json(CASE WHEN i.retired_at IS NULL THEN 'false' ELSE 'true' END)))
				FROM (SELECT * FROM indicator WHERE indicator.fiche_id = f.id ORDER BY position) i
				WHERE NOT ${createdAfter('indicator', 'i.id')}))))
		${FICHES_AT_PUBLICATION}))
)`;

const FROZEN_TEXTS = `(SELECT json_group_object(${ficheCode}, json_object(
		'context', json(f.context), 'existing', json(f.existing), 'description', json(f.description),
		'successFactors', json(f.success_factors), 'ownersNote', f.owners_note))
	${FICHES_AT_PUBLICATION})`;

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE edition ADD COLUMN frozen_texts TEXT`.execute(db);
	await sql`DROP TRIGGER edition_published_is_frozen`.execute(db);
	await backfillFrozenPlans(db);
	await createFreezeTrigger(db);
}

/** Exported for its test: fills every published edition that has no frozen plan yet. */
export async function backfillFrozenPlans(db: Kysely<unknown>): Promise<void> {
	await sql
		.raw(
			`UPDATE edition SET snapshot = json_set(snapshot, '$.frozenPlan', ${FROZEN_PLAN}),
				frozen_texts = ${FROZEN_TEXTS}
			WHERE state = 'published' AND frozen_texts IS NULL`
		)
		.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`DROP TRIGGER edition_published_is_frozen`.execute(db);
	await sql`UPDATE edition SET snapshot = json_remove(snapshot, '$.frozenPlan')
		WHERE snapshot IS NOT NULL`.execute(db);
	await createFreezeTrigger(db);
	await sql`ALTER TABLE edition DROP COLUMN frozen_texts`.execute(db);
}

async function createFreezeTrigger(db: Kysely<unknown>): Promise<void> {
	await sql`CREATE TRIGGER edition_published_is_frozen BEFORE UPDATE ON edition
		WHEN OLD.state = 'published'
		BEGIN SELECT RAISE(ABORT, 'a published edition cannot change'); END`.execute(db);
}

// Test oracles for the open data: the shape of plan.json as docs/open-data.md publishes it, which
// the specs check each generated document against (they validate no form, hence not in schemas/).
import { z } from 'zod';
import { FICHE_CODE_PATTERN } from '../../utils/text';
import { FICHE_STATUSES } from '../../utils/vocabulary';

/** The shape of plan.json, `sdusn/plan@2` (docs/open-data.md), strictly: no field more, none less. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const DOCUMENT = {
	schema: z.literal('sdusn/plan@2'),
	generated_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
	plan: z.strictObject({
		title: z.string().min(1),
		territory: z.string().min(1),
		period_start: z.number().int(),
		period_end: z.number().int(),
		adopted_on: isoDate
	}),
	axes: z.array(
		z.strictObject({ code: slug, label: z.string().min(1), position: z.number().int() })
	),
	orientations: z.array(
		z.strictObject({ code: slug, axis: slug, label: z.string().min(1), position: z.number().int() })
	),
	objectives: z.array(
		z.strictObject({
			number: z.number().int().positive(),
			orientation: slug,
			label: z.string().min(1)
		})
	)
};
const FICHE = z.strictObject({
	code: z.string().regex(FICHE_CODE_PATTERN),
	objective: z.number().int(),
	title: z.string().min(1),
	priority: z.union([z.literal(1), z.literal(2)]),
	owners: z.array(
		z.strictObject({ organisation: z.string().min(1), scope: z.string().nullable() })
	),
	partners: z.array(z.string().min(1)),
	linked: z.array(z.string().regex(FICHE_CODE_PATTERN)),
	indicators: z.array(
		z.strictObject({
			id: z.string().regex(/^\d+-\d+-\d+$/),
			label: z.string().min(1),
			unit: z.string().nullable(),
			target: z.number().nullable(),
			kind: z.enum(['count', 'percentage', 'amount', 'boolean']),
			target_date: isoDate.nullable(),
			baseline: z.number().nullable(),
			baseline_date: isoDate.nullable(),
			retired_on: isoDate.nullable(),
			latest: z.strictObject({ date: isoDate, value: z.number() }).nullable(),
			measurement_count: z.number().int().min(0)
		})
	),
	status: z.enum(FICHE_STATUSES),
	progress: z.number().int().min(0).max(100).nullable(),
	last_update: isoDate.nullable()
});
export const PlanDocumentSchema = z.strictObject({
	...DOCUMENT,
	// Live only: an edition's fiches have no former_codes.
	fiches: z.array(FICHE.extend({ former_codes: z.array(z.string().regex(FICHE_CODE_PATTERN)) }))
});

/** An edition's open data: the same document as of the edition's date, with `as_of` and `edition`. */
export const EditionPlanDocumentSchema = z.strictObject({
	...DOCUMENT,
	fiches: z.array(FICHE),
	as_of: isoDate,
	edition: z.strictObject({ year: z.number().int(), version: z.number().int().positive() })
});

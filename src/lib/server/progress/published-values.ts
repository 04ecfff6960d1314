// The published values a page shows beside an update: the fiche's, on the partner's form
// (publishedValuesOf), and the update's own that later validations replaced (replacedValuesOf).
import type { Executor } from '../db';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import {
	listValuesOfIndicators,
	type PublishedMeasurement,
	listReplacedValues,
	type ReplacedValue
} from './repository';

/**
 * A value of an update that a later validation replaced, as the update's page shows it:
 * `replacedBy`, the later update, only when the person may open it (staff, or a partner whose
 * organisation wrote it); null, the page says when, not which. `replacedByOrganisation`, the name
 * of the organisation whose update replaced it when that is another than the update's own (public:
 * the fiche's history names who reported each validated update); null for a self-correction.
 */
export type ShownReplacedValue = Omit<
	ReplacedValue,
	'replacedBy' | 'replacedByOrganisationId' | 'replacedByOrganisationName'
> & {
	replacedBy: number | null;
	replacedByOrganisation: string | null;
};

/**
 * The values of `update` that later validations replaced (one published value per indicator and
 * day): its page shows them as replaced rather than dropping them.
 */
export async function replacedValuesOf(
	db: Executor,
	user: User,
	update: { id: number; organisationId: number | null; ficheOrganisationIds: number[] }
): Promise<ShownReplacedValue[]> {
	const staff = can(user, 'queue.view');
	return (await listReplacedValues(db, update.id)).map(
		({ replacedBy, replacedByOrganisationId, replacedByOrganisationName, ...value }) => ({
			...value,
			replacedBy:
				staff ||
				can(user, 'update.view', {
					ficheOrganisationIds: update.ficheOrganisationIds,
					updateOrganisationId: replacedByOrganisationId
				})
					? replacedBy
					: null,
			replacedByOrganisation:
				replacedByOrganisationId === update.organisationId ? null : replacedByOrganisationName
		})
	);
}

/**
 * A published value as the partner's form shows it; `publishedBy`, the organisation whose update
 * published it when that is another than the partner's (its name, « une autre organisation » when
 * it has none), null for the partner's own: replacing it is not correcting one's own figure.
 */
export type PublishedValue = Pick<PublishedMeasurement, 'measuredOn' | 'value' | 'validatedAt'> & {
	publishedBy: string | null;
};

/**
 * The published values of each of the fiche's indicators, newest first, by indicator id: the
 * partner's form (of organisation `organisationId`) shows the last one, and says beside a typed
 * day that has one that validating the update will replace it (one published value per indicator
 * and day), and whose it is when another organisation's.
 */
export async function publishedValuesOf(
	db: Executor,
	fiche: { indicators: { id: number }[] },
	organisationId: number | null
): Promise<Record<number, PublishedValue[]>> {
	const rows = await listValuesOfIndicators(
		db,
		fiche.indicators.map((i) => i.id)
	);
	const byIndicator: Record<number, PublishedValue[]> = {};
	for (const row of rows) {
		const { indicatorId, measuredOn, value, validatedAt } = row;
		const publishedBy =
			row.organisationId === organisationId
				? null
				: (row.organisationName ?? 'une autre organisation');
		(byIndicator[indicatorId] ??= []).push({ measuredOn, value, validatedAt, publishedBy });
	}
	return byIndicator;
}

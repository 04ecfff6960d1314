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

/** A published value as the partner's form shows it. */
export type PublishedValue = Pick<PublishedMeasurement, 'measuredOn' | 'value' | 'validatedAt'>;

/**
 * The published values of each of the fiche's indicators, newest first, by indicator id: the
 * partner's form shows the last one, and says beside a typed day that has one that validating
 * the update will replace it (one published value per indicator and day).
 */
export async function publishedValuesOf(
	db: Executor,
	fiche: { indicators: { id: number }[] }
): Promise<Record<number, PublishedValue[]>> {
	const rows = await listValuesOfIndicators(
		db,
		fiche.indicators.map((i) => i.id)
	);
	const byIndicator: Record<number, PublishedValue[]> = {};
	for (const { indicatorId, measuredOn, value, validatedAt } of rows)
		(byIndicator[indicatorId] ??= []).push({ measuredOn, value, validatedAt });
	return byIndicator;
}

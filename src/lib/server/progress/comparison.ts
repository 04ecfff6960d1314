// A stored update beside what the person typed, field by field, as a refused save shows them
// (compare), and the words that say who saved it last and when (by).
import type { FieldChange } from '../result';
import type { ProgressInput } from '../../schemas/progress-update';
import { STATUS_LABELS, UPDATE_FIELD_LABELS as FIELD_LABELS } from '../../utils/vocabulary';
import { formatDate, formatPercent } from '../../utils/format';
import type { IndicatorKind } from '../../utils/indicator-kinds';
import { indicatorValueText } from '../../utils/indicator-target';
import type { ProgressUpdateRecord } from './repository';

type Fields = Omit<Pick<ProgressInput, keyof typeof FIELD_LABELS>, 'status'> & {
	status: ProgressInput['status'] | null;
};

export type Measured = {
	indicatorId: number;
	measuredOn: string;
	value: number;
	comment: string | null;
};

function describe(field: keyof typeof FIELD_LABELS, values: Fields): string {
	if (field === 'status') return values.status ? STATUS_LABELS[values.status] : '—';
	if (field === 'progress') return formatPercent(values.progress, 'non renseigné');
	if (field === 'reportedOn') return formatDate(values.reportedOn);
	return values[field] || '—';
}

/** An indicator as the conflict's table names its value: its kind and unit write it. */
type DescribedIndicator = { id: number; label: string; unit: string | null; kind: IndicatorKind };

/**
 * A measurement as the update's page writes it (« 1 234,50 € au 15 novembre 2026 »), never
 * rounded: two values that differ read differently.
 */
function describeMeasurement(indicator: DescribedIndicator, m: Measured | undefined): string {
	if (!m) return 'pas de valeur';
	return `${indicatorValueText(indicator.kind, indicator.unit, m.value)} au ${formatDate(m.measuredOn)}${m.comment ? ` (${m.comment})` : ''}`;
}

/**
 * Every field of the stored update (`before`) next to what the person typed (`after`); the
 * fields that agree are kept, so the screen shows the whole update.
 */
export function compare(
	current: ProgressUpdateRecord,
	input: ProgressInput,
	indicators: DescribedIndicator[]
): FieldChange[] {
	const rows: FieldChange[] = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).map(
		(field) => ({
			field,
			label: FIELD_LABELS[field],
			before: describe(field, current),
			after: describe(field, input)
		})
	);
	for (const indicator of indicators) {
		rows.push({
			field: `indicator_${indicator.id}`,
			label: indicator.label,
			before: describeMeasurement(
				indicator,
				current.measurements.find((m) => m.indicatorId === indicator.id)
			),
			after: describeMeasurement(
				indicator,
				input.measurements.find((m) => m.indicatorId === indicator.id)
			)
		});
	}
	return rows;
}

export function by(record: ProgressUpdateRecord): string {
	return `${record.updatedByName ? ` par ${record.updatedByName}` : ''}${record.updatedAt ? ` le ${formatDate(record.updatedAt)}` : ''}`;
}

import {
	indicatorRowField,
	ownerField,
	partnerField,
	type IndicatorPart
} from '../../schemas/plan-edit';
import { formatNumberInput } from '../../utils/format';
import type { RichText } from '../../utils/rich-text';
import { richTextToMarkup } from '../../utils/rich-text-markup';
import type { FicheState } from './repository';

const number = (value: number | null) => (value === null ? '' : formatNumberInput(value));

/** The edit form's fields filled with the fiche as stored (what the page shows first). */
export function ficheFormValues(state: FicheState, seenRevision: number): Record<string, string> {
	const markup = (json: string) => richTextToMarkup(JSON.parse(json) as RichText);
	const values: Record<string, string> = {
		version: String(state.version),
		seen_revision: String(seenRevision),
		title: state.title,
		short_title: state.shortTitle ?? '',
		objective: String(state.objectiveId),
		context: markup(state.context),
		existing: markup(state.existing),
		description: markup(state.description),
		success_factors: markup(state.successFactors),
		owners_note: state.ownersNote ?? '',
		links: state.links.map((l) => l.code).join(', '),
		reason: '',
		decision: ''
	};
	state.owners.forEach((o, i) => {
		values[ownerField(i, 'org')] = String(o.organisationId);
		values[ownerField(i, 'scope')] = o.scope ?? '';
		values[ownerField(i, 'note')] = o.note ?? '';
	});
	state.partners.forEach((p, i) => {
		values[partnerField(i, 'org')] = String(p.organisationId);
		values[partnerField(i, 'detail')] = p.detail ?? '';
	});
	state.indicators.forEach((indicator, i) => {
		const set = (part: IndicatorPart, value: string) =>
			(values[indicatorRowField(i, part)] = value);
		set('id', String(indicator.id));
		set('label', indicator.label);
		set('unit', indicator.unit ?? '');
		set('kind', indicator.kind);
		set('target', number(indicator.target));
		set('target_date', indicator.targetDate ?? '');
		set('baseline', number(indicator.baseline));
		set('baseline_date', indicator.baselineDate ?? '');
		if (indicator.retiredAt) set('retire', 'on');
	});
	return values;
}

import type { RichText } from '../../utils/rich-text';
import type { FicheStatus, OrganisationKind } from '../db/schema';

/** Shapes of the JSON files in ./data: the plan as encoded from the register of deliberations. */
export interface SeedOrganisation {
	slug: string;
	name: string;
	full_name: string | null;
	kind: OrganisationKind;
	/** Spellings met in the source, kept so a reviewer can see what was merged. */
	aliases: string[];
}

export interface SeedStructure {
	plan: {
		title: string;
		territory: string;
		period_start: number;
		period_end: number;
		adopted_on: string;
		finalised_on: string;
		source: string;
	};
	axes: { code: string; short_name: string; label: string; position: number }[];
	orientations: { code: string; axis: string; label: string; position: number }[];
	objectives: {
		number: number;
		orientation: string;
		label: string;
		synthesis_label: string | null;
	}[];
}

export interface SeedFiche {
	code: string;
	title: string;
	short_title: string | null;
	priority: 1 | 2;
	context: RichText;
	existing: RichText;
	description: RichText;
	owners: { org: string; scope?: string | null; note?: string | null }[];
	owners_note?: string | null;
	partners: (string | { org: string; detail: string | null })[];
	linked: string[];
	success_factors: RichText;
	indicators: (string | { label: string; unit: string | null; target: number | null })[];
}

export interface SeedHistory {
	plan_events: { occurred_on: string; title: string; body: string; source: string }[];
	progress_updates: {
		fiche: string;
		reported_on: string;
		status: FicheStatus | null;
		progress?: number | null;
		organisation: string;
		done: string;
		next_steps?: string;
		difficulties?: string;
		source: string;
		measurements?: {
			indicator: number;
			measured_on: string;
			value: number;
			comment: string | null;
		}[];
	}[];
	commission_sessions: {
		held_on: string;
		place: string;
		title: string;
		source: string;
		items: {
			fiche: string;
			decisions: {
				kind: 'opinion' | 'free';
				opinion?: 'favorable' | 'reserve' | 'defavorable' | 'prise_acte';
				text: string;
			}[];
		}[];
	}[];
	editions: {
		year: number;
		as_of: string;
		published_at: string;
		intro: string;
		axis_texts: Record<string, string>;
	}[];
}

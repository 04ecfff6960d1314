import type { TargetedIndicator } from '../../utils/indicator-target';
import type { RichText } from '../../utils/rich-text';

/**
 * The plan as it stood when an edition was published: its structure and, for each fiche, what the
 * edition shows of it. Kept in the edition's snapshot (`frozenPlan`), never read from the live plan
 * again: a later edit of a fiche, an organisation or the structure leaves the edition unchanged.
 * Absent from snapshots published before it existed and not backfilled (migration
 * 2026_12_02_100000_edition_frozen_plan backfills every published edition).
 */
export interface FrozenPlan {
	axes: { code: string; shortName: string; label: string }[];
	orientations: { code: string; axis: string; label: string }[];
	objectives: { number: number; orientation: string; label: string }[];
	fiches: FrozenFiche[];
}

export interface FrozenFiche {
	code: string;
	objective: number;
	title: string;
	shortTitle: string | null;
	owners: { organisation: string; scope: string | null; note: string | null }[];
	partners: { organisation: string; detail: string | null }[];
	linked: string[];
	indicators: FrozenIndicator[];
}

/** Its unit, kind, target and baseline with their dates (`TargetedIndicator`), label and state. */
export interface FrozenIndicator extends TargetedIndicator {
	label: string;
	retired: boolean;
}

/** The texts of each fiche, by code, frozen beside the snapshot (`edition.frozen_texts`). */
export type FrozenTexts = Record<string, FrozenFicheTexts>;

export interface FrozenFicheTexts {
	context: RichText;
	existing: RichText;
	description: RichText;
	successFactors: RichText;
	ownersNote: string | null;
}

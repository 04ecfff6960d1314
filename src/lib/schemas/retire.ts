import { z } from 'zod';
import { versionField } from './form';
import { REVISION_FIELDS, revisionShape } from './plan-edit';

/**
 * « Abandonner » a fiche, « Retirer » an axis, orientation or objective, or an organisation: the
 * version read and the revision's reason and decision, the one form of every retirement.
 */
export const RETIRE_FIELDS = ['version', ...REVISION_FIELDS] as const;
export const RetireSchema = z.object({ version: versionField, ...revisionShape });

/** An abandonment cannot be undone: as a merge or closing a campaign, a box to tick first. */
const ABANDON_UNCONFIRMED =
	'Cochez la case pour confirmer l’abandon : une fiche abandonnée ne peut pas être reprise.';

/** « Abandonner la fiche »: a retirement, confirmed by its box. */
export const ABANDON_FIELDS = [...RETIRE_FIELDS, 'confirm'] as const;
export const AbandonSchema = RetireSchema.extend({
	confirm: z.literal('oui', ABANDON_UNCONFIRMED)
});

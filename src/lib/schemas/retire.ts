import { z } from 'zod';
import { confirmField, versionField } from './form';
import { listInWords, plural } from '../utils/format';
import { REVISION_FIELDS, revisionShape } from './plan-edit';

/**
 * « Abandonner » a fiche, « Retirer » an axis, orientation or objective, or an organisation: the
 * version read and the revision's reason and decision, the one form of every retirement.
 */
export const RETIRE_FIELDS = ['version', ...REVISION_FIELDS] as const;
export const RetireSchema = z.object({ version: versionField, ...revisionShape });

/**
 * An abandonment cannot be undone: as a merge or closing a campaign, a box to tick first, and one
 * message when it is not, on the fiche's page as on the import's, which names the fiches its
 * workbook leaves out (`codes`).
 */
export function abandonUnconfirmed(codes: readonly string[] = []): string {
	const which =
		codes.length === 0
			? ''
			: ` ${plural(codes.length, 'de la fiche', 'des fiches')} ${listInWords(codes)}, ${plural(codes.length, 'absente', 'absentes')} du classeur`;
	return `Cochez la case pour confirmer l’abandon${which} : une fiche abandonnée ne peut pas être reprise.`;
}

/** « Abandonner la fiche »: a retirement, confirmed by its box. */
export const ABANDON_FIELDS = [...RETIRE_FIELDS, 'confirm'] as const;
export const AbandonSchema = RetireSchema.extend({
	confirm: confirmField(abandonUnconfirmed())
});

import { z } from 'zod';
import { textField, versionField } from './form';
import { COMMENT_MAX_LENGTH } from './limits';

/** What the staff's decision on a submitted update sends (/admin/suivis/[id]). */
export const REVIEW_FIELDS = ['version', 'comment'] as const;

export const ReviewSchema = z.object({
	version: versionField,
	comment: textField('Le commentaire', COMMENT_MAX_LENGTH, { required: false })
});

/** A return says what to correct: told on the field, by the service that decides. */
export const RETURN_NEEDS_COMMENT = 'Expliquez au partenaire ce qu’il doit corriger.';

import { z } from 'zod';
import { confirmField, textField } from './form';
import { REASON_MIN_LENGTH } from './limits';
import { reasonField } from './plan-edit';

/**
 * The reason of an import, published with each revision it makes: from the page's form as from
 * `npm run plan:import -- --reason` (applyPlanImport reads it as a form would, `typedText`).
 */
export const ImportReasonSchema = reasonField(
	`Indiquez la raison de cet import en quelques mots (au moins ${REASON_MIN_LENGTH} caractères).`
);

/**
 * The confirmation of an import on /admin/plan/import: the file kept, what was shown, why, and the
 * box ticked for the fiches it abandons (checked by applyPlanImport, which knows them).
 */
export const PLAN_IMPORT_FIELDS = ['token', 'digest', 'reason', 'fileName', 'confirm'] as const;

/**
 * The workbook's name as the preview read it (a hidden field of the confirmation), named again if
 * the confirmation finds problems: one line of 200 characters at most, or left out.
 */
export const ImportFileNameSchema = textField(null, 200, { required: false, line: true });

export const PlanImportConfirmSchema = z.object({
	token: z.string().uuid('Ce classeur n’est plus en attente : envoyez-le de nouveau.'),
	digest: z
		.string()
		.regex(/^[0-9a-f]{64}$/, 'Ce classeur n’est plus en attente : envoyez-le de nouveau.'),
	reason: ImportReasonSchema,
	confirm: confirmField()
});

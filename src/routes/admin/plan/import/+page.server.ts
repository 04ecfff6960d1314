import { isHttpError, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	PENDING_IMPORT_LIFETIME_WORDS,
	dropPendingImport,
	findPendingImport,
	keepPendingImport,
	MAX_PENDING_PER_ACCOUNT
} from '$lib/server/authoring/pending-imports';
import {
	applyPlanImport,
	importProblemsSummary,
	MAX_WORKBOOK_BYTES,
	previewPlanImport,
	workbookFileProblem,
	type ImportPreview
} from '$lib/server/authoring/plan-import';
import { latestPlanImportCount } from '$lib/server/audit/repository';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, refusalAnswer } from '$lib/server/http/form-answer';
import { refuse } from '$lib/server/result';
import { parseForm } from '$lib/schemas/form';
import {
	ImportFileNameSchema,
	PLAN_IMPORT_FIELDS,
	PlanImportConfirmSchema
} from '$lib/schemas/plan-import';
import type { Actions, PageServerLoad } from './$types';

// Import of the plan from a workbook: upload (checked, nothing written), the problems or the change
// list, then a confirmation that applies the very file shown (kept server-side under a token,
// with the fingerprint of the change list), with a reason.

export const load: PageServerLoad = async (event) => {
	const user = await authorize(event, 'plan.import');
	// ?importe=1 only asks for the notice: the count is read back from the journal's entry of the
	// person's latest import, never from the address (a made-up link showed any number).
	const applied =
		event.url.searchParams.get('importe') === '1'
			? await latestPlanImportCount(getDb(), user.id)
			: undefined;
	return { maxKo: MAX_WORKBOOK_BYTES / 1024, applied: applied ?? null };
};

/** A refused file: its message under the field, and above the form. */
function fileRefusal(status: 400 | 413, message: string) {
	return refusalAnswer(refuse(status, message, { fieldErrors: { fichier: message } }));
}

/**
 * What the page shows of a preview, on every path that sends one back (a first look, or a
 * confirmation refused): with problems, the sentence above them (importProblemsSummary).
 */
function previewAnswer(preview: ImportPreview, token: string | null, fileName = '') {
	return {
		fileName,
		preview: {
			summary: importProblemsSummary(preview, fileName),
			problems: preview.problems,
			// How many come from changes made in the portal since the export: the heading says so.
			outOfDate: preview.outOfDate,
			problemCount: preview.problemCount,
			changes: preview.changes,
			fieldCount: preview.fieldCount,
			creates: preview.creates,
			recoded: preview.recoded,
			notices: preview.notices
		},
		token,
		digest: preview.digest
	};
}

export const actions: Actions = {
	preview: async (event) => {
		const user = await authorize(event, 'plan.import');
		let formData: FormData;
		try {
			formData = await event.request.formData();
		} catch (caught) {
			// Over the server's body limit (BODY_SIZE_LIMIT): told under the field, as a file over
			// the workbook's limit is, rather than on an error page that leaves the import.
			if (isHttpError(caught, 413)) return fileRefusal(413, workbookFileProblem(undefined)!);
			throw caught;
		}
		const file = formData.get('fichier');
		// Without a choice, browsers send a file with no name and no byte.
		if (!(file instanceof File) || (file.size === 0 && file.name === ''))
			return fileRefusal(400, 'Choisissez le classeur du plan (.xlsx) à importer.');
		// Refused before its bytes are read, in the words previewPlanImport would use.
		const fileProblem = workbookFileProblem(file.size, file.name.slice(0, 200));
		if (fileProblem) return fileRefusal(400, fileProblem);
		const bytes = new Uint8Array(await file.arrayBuffer());
		const preview = await previewPlanImport(getDb(), bytes);
		const toConfirm = preview.problems.length === 0 && preview.changes.length > 0;
		const token = toConfirm ? keepPendingImport(user.id, bytes) : null;
		if (toConfirm && !token)
			return refusalAnswer(
				refuse(
					503,
					'Trop de classeurs attendent déjà leur confirmation sur le serveur : rien n’a été gardé. Envoyez de nouveau ce classeur dans quelques minutes.'
				)
			);
		const answer = previewAnswer(preview, token, file.name.slice(0, 200));
		if (answer.preview.summary === null) return answer;
		// A workbook with problems is refused as a missing file is (a 400): the page's title says
		// « Erreur : » first (hooks.server.ts, refused-title.ts), with a message as every refused
		// form's, above the problems listed on the page. No field's message: the problems are the
		// workbook's cells, not the file field's.
		return refusalAnswer(refuse(400, answer.preview.summary), undefined, answer, {
			underForm: false
		});
	},
	apply: async (event) => {
		const user = await authorize(event, 'plan.import');
		const { values, errors, data } = parseForm(
			await event.request.formData(),
			PLAN_IMPORT_FIELDS,
			PlanImportConfirmSchema
		);
		// The name the preview read, to name the file again; one that does not pass is left out.
		const named = ImportFileNameSchema.safeParse(values.fileName);
		const fileName = named.success ? named.data : '';
		values.fileName = fileName;
		const bytes = findPendingImport(values.token, user.id);
		if (!bytes)
			return refusalAnswer(
				refuse(
					409,
					`Ce classeur n’est plus en attente (plus de ${PENDING_IMPORT_LIFETIME_WORDS}, déjà importé, ou remplacé par vos ${MAX_PENDING_PER_ACCOUNT} envois suivants) : envoyez-le de nouveau.`
				),
				values
			);
		if (!data || Object.keys(errors).length > 0) {
			const preview = await previewPlanImport(getDb(), bytes);
			// The fingerprint is a hidden field: its message goes above the form; the file's name
			// is only said again (left out when it does not pass).
			const { digest, fileName: _fileName, ...fieldErrors } = errors;
			return invalidFormAnswer(
				digest ? { form: digest, ...fieldErrors } : fieldErrors,
				values,
				undefined,
				previewAnswer(preview, values.token, fileName)
			);
		}
		const result = await applyPlanImport(getDb(), bytes, {
			reason: data.reason,
			actor: user,
			clientAddress: safeClientAddress(event),
			confirmedDigest: data.digest,
			abandonConfirmed: data.confirm
		});
		if (!result.ok) {
			const preview = await previewPlanImport(getDb(), bytes);
			return refusalAnswer(
				result,
				values,
				previewAnswer(preview, preview.problems.length === 0 ? values.token : null, fileName)
			);
		}
		dropPendingImport(values.token);
		// No journal entry for an import that changed nothing: no notice of an earlier one.
		redirect(
			303,
			result.value.changes.length > 0 ? '/admin/plan/import?importe=1' : '/admin/plan/import'
		);
	}
};

import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { User } from '$lib/server/auth/users';
import { safeClientAddress } from '$lib/server/auth/guards';
import { rebaseStructureTyping, saveStructure } from '$lib/server/authoring/structure';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import {
	STRUCTURE_FIELDS,
	STRUCTURE_SCHEMAS,
	type StructureLevel
} from '$lib/schemas/plan-structure';

/** The address's level (`axes`, `orientations`, `objectifs`: see src/params/niveau.ts). */
export function structureLevel(niveau: string): StructureLevel {
	return niveau === 'axes' ? 'axis' : niveau === 'orientations' ? 'orientation' : 'objective';
}

/**
 * The action of the add and edit pages of an axis, an orientation or an objective (`id` null: add),
 * called once the admin is authorised: reads the form, calls the service, answers.
 */
export async function saveStructureForm(event: RequestEvent, admin: User, id: number | null) {
	const niveau = event.params.niveau!;
	const level = structureLevel(niveau);
	const { answer, values, data } = readPostedForm(
		await event.request.formData(),
		STRUCTURE_FIELDS[level],
		STRUCTURE_SCHEMAS[level]
	);
	if (answer) return answer;
	const result = await saveStructure(
		getDb(),
		admin,
		level,
		id,
		{
			version: id === null ? null : data.version,
			seenRevision: data.seen_revision,
			label: data.label,
			shortName: 'short_name' in data ? data.short_name : null,
			synthesisLabel: 'synthesis_label' in data ? data.synthesis_label : null,
			parentId: 'parent' in data ? data.parent : null,
			reason: data.reason,
			decisionId: data.decision
		},
		safeClientAddress(event)
	);
	if (!result.ok && result.status === 409 && id !== null)
		return refusalAnswer(
			result,
			await rebaseStructureTyping(getDb(), level, id, values, result.changes ?? [])
		);
	if (!result.ok) return refusalAnswer(result, values);
	// « ajout »: its page confirms the addition by name, « 1 »: a change.
	redirect(
		303,
		`/admin/plan/${niveau}/${result.value.id}?enregistre=${id === null ? 'ajout' : '1'}`
	);
}

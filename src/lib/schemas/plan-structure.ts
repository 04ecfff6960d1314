import { z } from 'zod';
import { optionalNumberField, textField } from './form';
import { REVISION_FIELDS, revisionShape, text } from './plan-edit';
import { ID_PATTERN } from '../utils/text';

/**
 * The forms of the plan's structure (#16): add or edit an axis, an orientation or an objective.
 * One schema per level; `version` and `seen_revision` are sent by the edit forms only.
 */

export type StructureLevel = 'axis' | 'orientation' | 'objective';

/**
 * An intitulé of 3 characters at least, counted as a person sees them (an emoji is one): left
 * empty, « Indiquez l’intitulé de l’axe. »; too short, « L’intitulé compte au moins 3
 * caractères. », told that alone (the form shows a field's first message).
 */
const label = (what: string) => {
	return textField('L’intitulé', 300, {
		line: true,
		min: 3,
		missing: `Indiquez l’intitulé ${what}.`
	}).refine((v) => /\p{L}/u.test(v), 'L’intitulé doit contenir des mots.');
};
const SHORT_NAME_EXAMPLE = 'un mot, comme « solidarité »';
const SHORT_NAME_MIN = 2;
const parent = (message: string) => z.string().regex(ID_PATTERN, message).transform(Number);
const orNull = (v: string) => (v === '' ? null : v);

const common = {
	version: optionalNumberField,
	seen_revision: optionalNumberField,
	...revisionShape
};

export const STRUCTURE_FIELDS = {
	axis: ['version', 'seen_revision', 'label', 'short_name', ...REVISION_FIELDS],
	orientation: ['version', 'seen_revision', 'label', 'parent', ...REVISION_FIELDS],
	objective: ['version', 'seen_revision', 'label', 'synthesis_label', 'parent', ...REVISION_FIELDS]
} as const satisfies Record<StructureLevel, readonly string[]>;

export const STRUCTURE_SCHEMAS = {
	axis: z.object({
		...common,
		label: label('de l’axe'),
		short_name: textField('Le nom court', 60, {
			line: true,
			min: SHORT_NAME_MIN,
			missing: `Indiquez le nom court de l’axe (${SHORT_NAME_EXAMPLE}).`,
			short: `Le nom court compte au moins ${SHORT_NAME_MIN} caractères (${SHORT_NAME_EXAMPLE}).`
		}).refine(
			(v) => /^\S+$/.test(v) && /\p{L}/u.test(v),
			'Le nom court tient en un mot, sans espace (comme « solidarité » ou « e-administration »).'
		)
	}),
	orientation: z.object({
		...common,
		label: label('de l’orientation'),
		parent: parent('Choisissez l’axe dans la liste.')
	}),
	objective: z.object({
		...common,
		label: label('de l’objectif'),
		synthesis_label: text('L’intitulé de synthèse', 200, { line: true }).transform(orNull),
		parent: parent('Choisissez l’orientation dans la liste.')
	})
};

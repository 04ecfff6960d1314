import { z } from 'zod';
import { hasForbiddenCharacters, isIsoDate } from './form';

const text = (label: string, max: number, required: boolean) =>
	z
		.string()
		.trim()
		.max(max, `${label} : ${max.toLocaleString('fr-FR')} caractères au plus.`)
		.refine((v) => !required || v !== '', `${label} est obligatoire.`)
		.refine((v) => !hasForbiddenCharacters(v), `${label} contient des caractères non autorisés.`);

export const EditionSchema = z
	.object({
		year: z
			.string()
			.regex(/^\d{4}$/, 'L’année s’écrit sur quatre chiffres (exemple : 2019).')
			.transform(Number)
			.refine((y) => y >= 2018 && y <= 2100, 'L’année doit être comprise entre 2018 et 2100.'),
		as_of: z
			.string()
			.trim()
			.refine(isIsoDate, 'La date d’arrêté des chiffres n’est pas une date valide (jj/mm/aaaa).'),
		intro: text('L’introduction', 10_000, true),
		text_performance: text('Le texte de l’axe « performance »', 5_000, false),
		text_solidarite: text('Le texte de l’axe « solidarité »', 5_000, false),
		text_modernite: text('Le texte de l’axe « modernité »', 5_000, false),
		change_note: text('La note de correction', 2_000, false)
	})
	// Checked only against a year written correctly: otherwise the year's own message is enough.
	.refine((v) => !Number.isInteger(v.year) || v.as_of.slice(0, 4) === String(v.year), {
		path: ['as_of'],
		message: 'La date d’arrêté doit tomber dans l’année du bilan.'
	});

// Probe s46: /compte?/preferences posted without its hidden `shown_*` fields answered
// « Invalid option: expected one of "on"|"off" », zod's own English. Every choice among values
// (z.enum, z.literal) in a form's schema is sent a value it does not know, and an empty one (an
// absent field, as readForm reads it): its message, if any, is French.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MailPreferencesSchema } from './auth';

type Def = {
	type: string;
	shape?: Record<string, z.ZodType>;
	in?: z.ZodType;
	innerType?: z.ZodType;
	options?: z.ZodType[];
	values?: unknown[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema a field's value is first checked by, through optional, default and transforms. */
function core(schema: z.ZodType): z.ZodType {
	const def = defOf(schema);
	if (def.type === 'pipe' && def.in) return core(def.in);
	if (def.innerType && ['optional', 'nullable', 'default', 'prefault'].includes(def.type))
		return core(def.innerType);
	return schema;
}

/** Every object of a schema: itself, the options of a union, what a pipe starts from. */
function objectsOf(schema: z.ZodType): z.ZodType[] {
	const def = defOf(core(schema));
	if (def.type === 'object') return [core(schema)];
	if (def.type === 'union') return (def.options ?? []).flatMap(objectsOf);
	return [];
}

const SCHEMAS = Object.entries(
	import.meta.glob<Record<string, unknown>>(['./*.ts', '!./*.spec.ts'], { eager: true })
).flatMap(([file, module]) =>
	Object.entries(module)
		.filter(([, value]) => value instanceof z.ZodType)
		.map(([name, value]) => ({ name: `${file} ${name}`, schema: value as z.ZodType }))
);

const ENGLISH = /\b(Invalid|expected|Required|received|option|input)\b/;

describe('the choices of the forms’ schemas', () => {
	it('are found (the walk below sees them)', () => {
		const choices = SCHEMAS.flatMap(({ schema }) =>
			objectsOf(schema).flatMap((object) =>
				Object.values(defOf(object).shape ?? {}).filter((field) =>
					['enum', 'literal'].includes(defOf(core(field)).type)
				)
			)
		);
		expect(choices.length).toBeGreaterThan(10);
	});

	it('say in French what they refuse: an unknown value, or none', () => {
		const english: string[] = [];
		for (const { name, schema } of SCHEMAS)
			for (const object of objectsOf(schema)) {
				const shape = defOf(object).shape ?? {};
				// Each other field empty, a union's discriminator set to this option's.
				const base = Object.fromEntries(
					Object.entries(shape).map(([key, field]) => {
						const def = defOf(core(field));
						return [key, def.type === 'literal' ? String(def.values?.[0]) : ''];
					})
				);
				for (const [key, field] of Object.entries(shape)) {
					if (!['enum', 'literal'].includes(defOf(core(field)).type)) continue;
					for (const sent of ['pas-une-valeur', '']) {
						const parsed = schema.safeParse({ ...base, [key]: sent });
						const message = parsed.error?.issues.find((i) => i.path[0] === key)?.message;
						if (message !== undefined && ENGLISH.test(message))
							english.push(`${name}, ${key} = « ${sent} » : ${message}`);
					}
				}
			}
		expect(english).toEqual([]);
	});

	it('take a page that did not say which boxes it showed as not knowing it', () => {
		const posted = { reminders: 'on', validations: 'on', commission: '' };
		const absent = { ...posted, shown_reminders: '', shown_validations: '', shown_commission: '' };
		expect(MailPreferencesSchema.safeParse(absent).data).toEqual({
			preferences: { reminders: true, validations: true, commission: false },
			shown: null
		});
		expect(
			MailPreferencesSchema.safeParse({ ...absent, shown_commission: 'peut-être' }).error?.issues[0]
				?.message
		).toBe('Le formulaire est incomplet : rechargez la page.');
	});
});

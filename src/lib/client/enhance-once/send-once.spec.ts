import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * The unit tests run without a DOM: a form here is what enhanceOnce reads of one (its action, its
 * attributes, its fields: none), and `use:enhance` hands over the function it would call on each
 * send (`sends`).
 */
const sends = vi.hoisted(() => new Map<HTMLFormElement, SubmitFunction>());
vi.mock('$app/forms', () => ({
	applyAction: async () => {},
	enhance: (form: HTMLFormElement, submit: SubmitFunction) => {
		sends.set(form, submit);
		return { destroy() {} };
	}
}));
vi.mock('$app/navigation', () => ({ invalidateAll: async () => {} }));
vi.mock('$app/state', () => ({ navigating: { type: null } }));

class PageForm {
	readonly attributes = new Map<string, string>();
	readonly elements: Element[] = [];
	isConnected = true;
	constructor(action: string) {
		this.attributes.set('action', action);
	}
	getAttribute(name: string) {
		return this.attributes.get(name) ?? null;
	}
	setAttribute(name: string, value: string) {
		this.attributes.set(name, value);
	}
	removeAttribute(name: string) {
		this.attributes.delete(name);
	}
	querySelector() {
		return null;
	}
	get element() {
		return this as unknown as HTMLFormElement;
	}
}

/** Sends `form` as SvelteKit's `enhance` would: what its submit function gives back. */
async function send(form: PageForm) {
	const submit = sends.get(form.element)!;
	return submit({
		action: new URL(`http://portail.test/admin/plan/objectifs/3${form.getAttribute('action')}`),
		formData: new FormData(),
		formElement: form.element,
		controller: new AbortController(),
		submitter: null,
		cancel: () => {}
	});
}

/** `promise`, or `'waiting'` if it has not settled within a moment. */
function settled<T>(promise: Promise<T>): Promise<T | 'waiting'> {
	return Promise.race([
		promise,
		new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 200))
	]);
}

beforeAll(() => {
	// The fast project shares its modules between files (isolate: false): a page's spec may have
	// loaded send-once.ts with the real `$app/forms` before; dropped, it is loaded again below
	// with the mocks above.
	vi.resetModules();
	for (const name of [
		'HTMLButtonElement',
		'HTMLElement',
		'HTMLInputElement',
		'HTMLSelectElement',
		'HTMLTextAreaElement'
	])
		vi.stubGlobal(name, class {});
	// A form's fields, read again once it waited: it has none.
	const EmptyFormData = class extends FormData {
		constructor() {
			super();
		}
	};
	vi.stubGlobal('FormData', EmptyFormData);
	vi.stubGlobal('document', {
		activeElement: null,
		querySelectorAll: () => [],
		addEventListener: () => {}
	});
	vi.stubGlobal('window', {
		location: {
			href: 'http://portail.test/admin/plan/objectifs/3',
			pathname: '/admin/plan/objectifs/3'
		},
		fetch: async () => new Response()
	});
});
afterAll(() => {
	vi.unstubAllGlobals();
	vi.resetModules();
});

describe('a form sent while another is under way', () => {
	it('whose submit function throws once it waited is given back: the forms sent after it do not wait for it', async () => {
		const { enhanceOnce } = await import('./send-once');
		const save = new PageForm('?/enregistrer');
		const retire = new PageForm('?/retirer');
		const next = new PageForm('?/enregistrer');
		enhanceOnce(save.element);
		enhanceOnce(retire.element, () => {
			throw new Error('submit function failing');
		});
		enhanceOnce(next.element);

		const answer = await send(save);
		const waiting = send(retire);
		expect(await settled(waiting)).toBe('waiting');
		expect(retire.getAttribute('aria-busy')).toBe('true');
		// The save answered: the form that waited goes, and its submit function throws.
		await (answer as Exclude<Awaited<ReturnType<SubmitFunction>>, void>)({
			action: new URL('http://portail.test/admin/plan/objectifs/3?/enregistrer'),
			formData: new FormData(),
			formElement: save.element,
			result: { type: 'success', status: 200 },
			update: async () => {}
		});
		await expect(waiting).rejects.toThrow('submit function failing');
		expect(retire.getAttribute('aria-busy')).toBeNull();
		// Nothing is under way any more: the next form is sent at once.
		expect(await settled(send(next))).not.toBe('waiting');
	});
});

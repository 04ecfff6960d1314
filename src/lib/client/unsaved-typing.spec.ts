import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The unit tests run without a DOM: a form here is what the module reads of one (its action, id,
 * fields, whether it is on the page, its listeners), and FormData lists its fields.
 */
class PageForm {
	readonly listeners: Record<string, (() => void)[]> = {};
	isConnected = true;
	readonly id = '';
	constructor(
		readonly action: string,
		public fields: [string, string][]
	) {}
	getAttribute(name: string) {
		return name === 'action' ? this.action : null;
	}
	addEventListener(type: string, listener: () => void) {
		(this.listeners[type] ??= []).push(listener);
	}
	removeEventListener() {}
	/** The person types `value` in `name`. */
	type(name: string, value: string) {
		this.fields = this.fields.map(([n, v]) => [n, n === name ? value : v]);
		for (const listener of this.listeners.input ?? []) listener();
	}
	/** The person sends it. */
	send() {
		for (const listener of this.listeners.submit ?? []) listener();
	}
	get element() {
		return this as unknown as HTMLFormElement;
	}
}

beforeAll(() => {
	vi.stubGlobal(
		'FormData',
		class {
			constructor(readonly form: PageForm) {}
			[Symbol.iterator]() {
				return this.form.fields[Symbol.iterator]();
			}
		}
	);
	vi.stubGlobal('requestAnimationFrame', (run: () => void) => run());
	vi.stubGlobal('document', { addEventListener() {} });
});
afterAll(() => vi.unstubAllGlobals());

describe('the leave-page question', () => {
	it('asks for typing only, not for a saved form, and hands a refused form’s typing to the one drawn in its place', async () => {
		const { answered, hasUnsentTyping, warnOnLeave } = await import('./unsaved-typing');
		const fiche = new PageForm('?/enregistrer', [['title', 'Wifi public']]);
		const watch = warnOnLeave(fiche.element);
		expect(hasUnsentTyping()).toBe(false);
		fiche.type('title', 'Wifi public du Lot');
		expect(hasUnsentTyping()).toBe(true);
		// Typed back as shown: nothing to lose.
		fiche.type('title', 'Wifi public');
		expect(hasUnsentTyping()).toBe(false);
		// Saved: what it holds is the reference.
		fiche.type('title', 'Wifi public du Lot');
		answered(fiche.element, true);
		expect(hasUnsentTyping()).toBe(false);

		// Refused after another's save: the page read again draws the form anew, typing in it.
		fiche.type('title', 'Wifi public du Lot et du Quercy');
		fiche.isConnected = false;
		watch.destroy();
		const drawn = new PageForm('?/enregistrer', [['title', 'Wifi public du Lot et du Quercy']]);
		warnOnLeave(drawn.element);
		answered(fiche.element, false);
		expect(hasUnsentTyping()).toBe(true);
		drawn.isConnected = false;
	});

	it('hands nothing to the page’s other forms of the same action (a séance’s decision forms)', async () => {
		const { answered, hasUnsentTyping, warnOnLeave } = await import('./unsaved-typing');
		const first = new PageForm('?/decide', [
			['itemId', '1'],
			['text', '']
		]);
		const second = new PageForm('?/decide', [
			['itemId', '2'],
			['text', '']
		]);
		const watchFirst = warnOnLeave(first.element);
		warnOnLeave(second.element);
		first.type('text', 'Avis favorable');
		// Its point removed meanwhile by another member: refused, the point and its form gone.
		first.isConnected = false;
		watchFirst.destroy();
		answered(first.element, false);
		expect(hasUnsentTyping()).toBe(false);
	});

	it('takes a saved form as drawn with its answer, unless it changed while sent: that change is still to be saved', async () => {
		const { answered, hasUnsentTyping, warnOnLeave } = await import('./unsaved-typing');
		const update = new PageForm('?/suivi', [
			['done', ''],
			['progress', '40']
		]);
		const watch = warnOnLeave(update.element);
		update.type('done', ' Fait A ');
		update.send();
		// Held while sent (enhanceOnce), drawn again with the save: the words as the server keeps them.
		update.fields = [
			['done', 'Fait A'],
			['progress', '40']
		];
		answered(update.element, true);
		expect(hasUnsentTyping()).toBe(false);

		update.type('done', 'Fait A et B');
		update.send();
		// A field changed all the same before the answer (one the held form did not hold).
		update.type('progress', '55');
		answered(update.element, true);
		expect(hasUnsentTyping()).toBe(true);
		update.type('progress', '40');
		expect(hasUnsentTyping()).toBe(false);
		watch.destroy();
	});
});

import { untrack } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';
import { readAgainOnRefusalThen } from './enhance-once';

/**
 * For one form of a page of several forms on a record: the record as that form was drawn for the
 * person — what its hidden `version`, `seen_revision` and `shown_*` say, the id of each row, the
 * option selected in a select.
 *
 * Without typing, the form follows the record as the page's data reads it now (drawn anew). Once
 * the person types or chooses in it, reading the page's data again (another form's answer, or its
 * refusal) leaves it on the record as it was: its send is then refused as any conflict is, with
 * what changed, the typing kept — never saved over a colleague's change without a word, nor a
 * row's typing re-attached to another record's row, nor the person's choice replaced.
 *
 * `use:drawn.watch` on the form; a form drawn anew (keyed on its own saves), or reset by its own
 * save's answer, starts without typing again.
 */
export class DrawnRecord<T> {
	#typed = $state(false);
	#held = $state.raw<T | undefined>(undefined);
	readonly #now: () => T;

	constructor(now: () => T) {
		this.#now = now;
	}

	/** The record the form is based on. */
	get current(): T {
		return this.#typed ? (this.#held as T) : this.#now();
	}

	/** Whether the form holds typing since it was drawn. */
	get typed(): boolean {
		return this.#typed;
	}

	/**
	 * `submit` (the form's own submit function), then, after a conflict refusal of this form (409:
	 * the page read again shows what changed, and its message said so), the form is based on the
	 * record as now read: sending it again, knowingly, is not refused for the same change.
	 */
	told(submit: SubmitFunction): SubmitFunction {
		return async (input) => {
			const after = await submit(input);
			return async (answer) => {
				await (after ? after(answer) : answer.update());
				if (answer.result.type === 'failure' && answer.result.status === 409 && this.#typed)
					this.#held = untrack(this.#now);
			};
		};
	}

	watch = (form: HTMLFormElement) => {
		const start = () => {
			this.#typed = false;
		};
		const onTyping = () => {
			if (this.#typed) return;
			this.#held = untrack(this.#now);
			this.#typed = true;
		};
		start();
		form.addEventListener('input', onTyping);
		form.addEventListener('change', onTyping);
		// SvelteKit empties a form saved on the page (`update()`): it is drawn anew.
		form.addEventListener('reset', start);
		return {
			destroy() {
				form.removeEventListener('input', onTyping);
				form.removeEventListener('change', onTyping);
				form.removeEventListener('reset', start);
			}
		};
	};
}

type Basis = Record<string, string | undefined>;

/**
 * The person's own saves on a page of several forms on one record: the version each save
 * replaced, and the record's basis (`version`, `seen_revision`) right after it. A form based on
 * the version a save replaced moves to the one that save wrote, keeping its typing: its next send
 * is not refused merely because of the person's own save. No one else can have changed the record
 * in between: the server refuses a save sent with another version than the record's, and writes
 * the next one (`version + 1`, in the same transaction). Read again after someone else's save
 * too, the record is further on: then nothing moves, and that form's send is refused as a conflict.
 */
export class OwnSaves {
	#moves = $state.raw<Record<string, Basis>>({});
	readonly #record: () => number;

	/** `record`: the id of the record the page shows (a page may show another one next). */
	constructor(record: () => number) {
		this.#record = record;
	}

	/** The id of the record the page shows now. */
	get record(): number {
		return this.#record();
	}

	#key(version: string | undefined): string {
		return `${this.#record()}:${version ?? ''}`;
	}

	/**
	 * A save of the record `record`, sent with `sent` as its version, succeeded; `after` is the
	 * record as now read (another one, when the save led to another page: nothing moves).
	 */
	saved(record: number, sent: FormDataEntryValue | null, after: Basis): void {
		if (typeof sent !== 'string' || !/^\d+$/.test(sent)) return;
		if (record !== this.#record() || after.version !== String(Number(sent) + 1)) return;
		this.#moves = { ...this.#moves, [this.#key(sent)]: after };
	}

	/** `basis` (a form's version and what goes with it), moved on by the person's own saves. */
	moved<B extends Basis>(basis: B): B {
		let moved = basis;
		for (
			let next = this.#moves[this.#key(moved.version)];
			next;
			next = this.#moves[this.#key(moved.version)]
		) {
			const picked = Object.fromEntries(Object.keys(basis).map((key) => [key, next![key] ?? '']));
			moved = { ...moved, ...picked };
		}
		return moved;
	}
}

/**
 * `use:enhanceOnce={savedThen(own, () => basis, () => saves++)}`: readAgainOnRefusalThen, noting
 * in `own` the version the form was sent with (its hidden `version`, if any) and `after()`, the
 * record's basis as read once saved (OwnSaves).
 */
export function savedThen(own: OwnSaves, after: () => Basis, saved: () => void): SubmitFunction {
	return (input) => {
		const sent = input.formData.get('version');
		const record = own.record;
		return readAgainOnRefusalThen(() => {
			own.saved(record, sent, after());
			saved();
		})(input);
	};
}

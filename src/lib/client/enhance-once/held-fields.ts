// The fields of a form held while it is under way (enhanceOnce, send-once.ts): what they show is
// what was sent until the answer is fully applied.

/** The `<input>` types that `readOnly` holds (the others are held by their events). */
export const TYPED = new Set([
	'text',
	'search',
	'url',
	'tel',
	'email',
	'password',
	'number',
	'date',
	'month',
	'week',
	'time',
	'datetime-local'
]);

/** The `<input>` types chosen by a click or a key, whose changes are refused while held. */
const CHOSEN = new Set(['checkbox', 'radio', 'file', 'range', 'color']);

/** What chooses in a list or a box: a click (a tap), a press, a key. */
const HELD_EVENTS = ['click', 'mousedown', 'keydown'];

/** Keys that move the focus on, or close a list: left to a held field. */
const PASSING_KEYS = new Set(['Tab', 'Escape', 'Shift', 'Control', 'Alt', 'Meta']);

/**
 * Holds the form's fields while it is sent (`data-sending`, shown as waiting in app.css): its
 * text fields and text areas become read-only (they keep the focus; a screen reader says them
 * read-only), its lists, boxes and buttons of choice do not change (their clicks and keys are
 * refused). What they show is then what was sent, until the answer is fully applied: typing
 * done meanwhile was wiped by the form drawn anew after the save, or left on screen as if saved.
 * Returns what gives them back; a field already read-only stays so.
 */
export function holdFields(form: HTMLFormElement): () => void {
	const refuse = (event: Event) => {
		if (event instanceof KeyboardEvent && PASSING_KEYS.has(event.key)) return;
		event.preventDefault();
	};
	const releases: (() => void)[] = [];
	const hold = (field: Element, release: () => void) => {
		field.setAttribute('data-sending', '');
		releases.push(() => {
			field.removeAttribute('data-sending');
			release();
		});
	};
	for (const field of form.elements) {
		if (
			field instanceof HTMLTextAreaElement ||
			(field instanceof HTMLInputElement && TYPED.has(field.type))
		) {
			hold(field, holdReadOnly(field));
		} else if (
			field instanceof HTMLSelectElement ||
			(field instanceof HTMLInputElement && CHOSEN.has(field.type))
		) {
			for (const type of HELD_EVENTS) field.addEventListener(type, refuse);
			hold(field, () => {
				for (const type of HELD_EVENTS) field.removeEventListener(type, refuse);
			});
		}
	}
	return () => {
		for (const release of releases) release();
	};
}

/**
 * Makes a text field read-only while it is held; returns what gives it back. The answer drawn
 * meanwhile may make it read-only itself (the bilan's year, fixed by the refusal that names the
 * draft of that year): Svelte sets the element's `readOnly`, and remembers what it set, so as not
 * to set it again. Given back as it was before the send, the field was editable again under a
 * page that says it is not. That setting is taken while held, and applied on release.
 */
function holdReadOnly(field: HTMLInputElement | HTMLTextAreaElement): () => void {
	let drawn = field.readOnly;
	field.setAttribute('readonly', '');
	Object.defineProperty(field, 'readOnly', {
		configurable: true,
		get: () => true,
		set: (value: unknown) => {
			drawn = Boolean(value);
		}
	});
	return () => {
		// The prototype's own `readOnly` again, set to what the page drew.
		Reflect.deleteProperty(field, 'readOnly');
		field.readOnly = drawn;
	};
}

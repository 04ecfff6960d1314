// Where enhanceOnce (send-once.ts) puts the focus after an answer (a refused field, an alert, a
// confirmation, the page's heading), and where the person put it meanwhile (`followFocus`,
// `movedOn`): never taken from them.

/**
 * The element the person last put the focus on (a click, a Tab: not the page's body, nor where
 * enhanceOnce put it, `focusOwn`), and how many times they moved it so far. SvelteKit drops the
 * focus on the page's body once it applies a save (applyAction after a success, a navigation to
 * the save's redirect): `document.activeElement` no longer says where the person is then.
 */
const personFocus: { element: Element | null; moves: number } = { element: null, moves: 0 };
/** Whether enhanceOnce is putting the focus somewhere itself (`focusOwn`). */
let focusingOwn = false;
let followingFocus = false;

/** Whether the person is pressing on the page (a click, a tap: `mousedown`, until its focus moved). */
let pressing = false;

/**
 * Follows where the person puts the focus (`personFocus`), from the first form enhanced on. A click
 * on blank page space takes it from the field to the page's body, with no `focusin`: followed as
 * a move to nowhere (a field left, no field chosen), or an answer would put it back on the field
 * the person left (`movedOn`). The focus dropped on the page's body by SvelteKit, or with an
 * element removed under it, is no move of the person's (no press under way).
 */
export function followFocus(): void {
	if (followingFocus) return;
	followingFocus = true;
	document.addEventListener('focusin', (event) => {
		if (focusingOwn || !(event.target instanceof Element) || event.target === document.body) return;
		personFocus.element = event.target;
		personFocus.moves++;
	});
	document.addEventListener(
		'mousedown',
		() => {
			pressing = true;
			// The focus moves with the press's default action, before any timer.
			setTimeout(() => (pressing = false));
		},
		true
	);
	document.addEventListener('focusout', (event) => {
		if (!pressing || focusingOwn || event.relatedTarget !== null) return;
		personFocus.element = null;
		personFocus.moves++;
	});
}

/** Puts the focus on `element` as enhanceOnce's own move (an alert, a confirmation). */
export function focusOwn(element: HTMLElement, options?: FocusOptions): void {
	focusingOwn = true;
	try {
		element.focus(options);
	} finally {
		focusingOwn = false;
	}
}

/** Where the focus is as a form is sent, and how many times the person had moved it (`movedOn`). */
export interface FocusAtSend {
	element: Element | null;
	moves: number;
}

export function focusNow(): FocusAtSend {
	return { element: document.activeElement, moves: personFocus.moves };
}

/**
 * Whether the person moved the focus since sending the form: they put it on another element of the
 * page than then, still there (not one removed under it: the focus is then on the page's body).
 * Their typing goes on where they put it: moved to the refused field instead, the next keys would
 * land there. Dropped on the page's body meanwhile (SvelteKit, applying another form's save), the
 * focus is put back where they put it.
 */
export function movedOn(atSend: FocusAtSend): boolean {
	const moved = personFocus.moves > atSend.moves ? personFocus.element : null;
	if (!(moved instanceof HTMLElement) || moved === atSend.element || !moved.isConnected)
		return false;
	const focused = document.activeElement;
	if (focused === null || focused === document.body) focusOwn(moved, { preventScroll: true });
	return true;
}

export function focusHeading(): void {
	const heading = document.querySelector<HTMLElement>('main h1');
	if (!heading) return;
	if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
	focusOwn(heading);
}

/** After a refusal: the first refused field of the form, or else the alert nearest above it. */
export function focusRefusal(form: HTMLFormElement): void {
	// The summary listing the refused fields (ErrorSummary, focusable) before any other refusal
	// message marked as such (a conflict notice): the first shown, made focusable.
	const summaries = form.hasAttribute('data-refusal-summary')
		? [...document.querySelectorAll<HTMLElement>('main [data-error-summary]')].filter(
				(candidate) => !candidate.hidden
			)
		: [];
	const summary = summaries.find((s) => s.hasAttribute('tabindex')) ?? summaries[0];
	if (summary) {
		if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
		focusOwn(summary);
		return;
	}
	// The form may have been drawn anew with the answer (the plan import's confirmation): the
	// page's first refused field then.
	const invalid = (
		form.isConnected ? form : (document.querySelector('main') ?? document.body)
	).querySelector('[aria-invalid="true"]');
	if (invalid instanceof HTMLElement) {
		focusOwn(invalid);
		return;
	}
	const alerts = [
		...(document.querySelector('main') ?? document.body).querySelectorAll<HTMLElement>(
			'[role="alert"]'
		)
	];
	// The form may be gone with the refusal (the page read again shows why): its first alert.
	const alert = form.isConnected
		? alerts
				.filter(
					(candidate) =>
						form.contains(candidate) ||
						Boolean(candidate.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING)
				)
				.at(-1)
		: alerts[0];
	if (!alert) return;
	if (!alert.hasAttribute('tabindex')) alert.setAttribute('tabindex', '-1');
	focusOwn(alert);
}

/** The page's confirmations (`role="status"`) and their texts, to tell a new one from those shown. */
export function shownStatuses(): { elements: Set<Element>; texts: Set<string> } {
	const elements = [...document.querySelectorAll<HTMLElement>('main [role="status"]')];
	return {
		elements: new Set(elements),
		texts: new Set(elements.map((status) => status.textContent?.trim() ?? ''))
	};
}

/**
 * After an answer that stays on the page: its confirmation (one drawn or worded anew; else, the
 * button pressed being gone with what it removed, the page's confirmation, « Point retiré. » said
 * again), or else the button pressed. An answer that leads to the page again (a redirect: a
 * second « Enregistrer le brouillon ») draws the page's confirmation anew even when its words
 * have not changed: it takes the focus, or a screen reader would hear nothing of the save.
 */
export function focusOutcome(
	before: ReturnType<typeof shownStatuses>,
	submitter: HTMLElement | null,
	redirected: boolean
): void {
	const visible = [...document.querySelectorAll<HTMLElement>('main [role="status"]')].filter(
		(status) => status.getClientRects().length > 0
	);
	const fresh = visible.find(
		(status) => !before.elements.has(status) || !before.texts.has(status.textContent?.trim() ?? '')
	);
	const pressed = submitter?.isConnected && !submitter.matches(':disabled') ? submitter : null;
	const target = fresh ?? (redirected ? visible[0] : undefined) ?? pressed ?? visible[0];
	if (!target) return;
	if (target !== pressed && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
	focusOwn(target);
}

/**
 * After an answer that leads to another page (« Mise à jour de la fiche 1-2 validée et publiée. »
 * on the list of updates): its confirmation, drawn with the page, would not be read (a live region
 * speaks of changes only), and the focus would be on the page's body: the confirmation takes it,
 * and is read.
 */
export function focusArrival(): void {
	const status = [...document.querySelectorAll<HTMLElement>('main [role="status"]')].find(
		(candidate) => candidate.getClientRects().length > 0
	);
	if (!status) return;
	if (!status.hasAttribute('tabindex')) status.setAttribute('tabindex', '-1');
	focusOwn(status);
}

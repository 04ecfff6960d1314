/**
 * A scrolling area (a wide table, a chart) is a tab stop only while its content is wider than it:
 * on a desktop, where nothing scrolls, a keyboard user no longer passes through an area that does
 * nothing. Drawn by the server (and on pages without script) it is one, to be safe (WCAG 2.1.1).
 */
export function focusableWhenScrolling(area: HTMLElement) {
	const update = () => {
		if (area.scrollWidth > area.clientWidth + 1) area.setAttribute('tabindex', '0');
		else area.removeAttribute('tabindex');
	};
	const observer = new ResizeObserver(update);
	observer.observe(area);
	if (area.firstElementChild) observer.observe(area.firstElementChild);
	update();
	return { destroy: () => observer.disconnect() };
}

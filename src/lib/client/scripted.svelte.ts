import { onMount } from 'svelte';

/**
 * Whether the page's script runs: false in the HTML the server sends (what a browser without
 * JavaScript keeps), true once the component is mounted. Called during a component's set-up;
 * read `.current` in its markup.
 */
export function scriptedPage(): { readonly current: boolean } {
	let scripted = $state(false);
	onMount(() => {
		scripted = true;
	});
	return {
		get current() {
			return scripted;
		}
	};
}

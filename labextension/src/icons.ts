import { LabIcon } from '@jupyterlab/ui-components';

// A Bloch sphere: the equator, a meridian and a state vector. The jp-icon* classes
// let the theme recolour strokes and fills; `fill="none"` sits on the group so the
// theme's `[fill]` rules do not fill the outlines.
const blochSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.5" stroke-linecap="round">
    <circle class="jp-icon3" stroke="#616161" cx="12" cy="12" r="9.25"/>
    <ellipse class="jp-icon3" stroke="#616161" cx="12" cy="12" rx="9.25" ry="3.4"/>
    <path class="jp-icon3" stroke="#616161" d="M12 2.75v18.5" stroke-dasharray="1.6 1.8"/>
    <path class="jp-icon-brand0" stroke="#1976D2" d="M12 12l5.2-6.4"/>
  </g>
  <circle class="jp-icon-brand0" fill="#1976D2" cx="17.4" cy="5.4" r="2"/>
</svg>`;

export const synqIcon = new LabIcon({
  name: 'synq-jupyter:bloch',
  svgstr: blochSvg
});

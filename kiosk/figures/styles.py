"""The demonstrations' hand-written CSS: layout, and the switch to still poses.

The generated @keyframes follow it in the one stylesheet that /figures.css serves.
"""

BASE = """\
/* Demonstrations: an animated figure, or its key poses side by side when motion is unwelcome. */
.demo { margin: 0; }
.demo svg, .demo-thumbnail { display: block; width: 100%; height: auto; }
/* Each joint's group turns about its own origin: the joint. */
.demo-animated g { transform-box: view-box; transform-origin: 0 0; }
.demo > .demo-poses { display: none; }
.demo-poses {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(6.5rem, 1fr));
  gap: .75rem;
  list-style: none;
  margin: 0;
  padding: 0;
}
.demo-pose { margin: 0; }
.demo-pose svg { display: block; width: 100%; height: auto; }
.demo-pose-caption {
  display: block;
  margin-top: .25rem;
  font-weight: 600;
  line-height: 1.3;
  text-align: center;
}
.demo-pose-step { display: block; color: #0b6b63; font-weight: 800; }
/* What the colour and the stopwatch mean, under the drawing (palette.STRETCHED, ARROW). */
.demo-key {
  display: flex;
  flex-wrap: wrap;
  gap: .2em 1.2em;
  margin: .4em 0 0;
  font-size: .85em;
  color: #4d5d66;
}
.demo-key-item { display: inline-flex; align-items: center; gap: .4em; }
.demo-key-swatch {
  width: 1.6em;
  height: .8em;
  border-radius: .4em;
  background: linear-gradient(90deg, #e8590c 50%, #f6b689 50%);
}
.demo .demo-key-watch, .demo-key-watch { display: block; flex: none; width: 1.1em; height: 1.3em; }
/* A drawing beside steps that are not the article's any more: its step numbers would lie. */
.demo--steps-unknown .demo-pose-step { display: none; }
@media (prefers-reduced-motion: reduce) {
  .demo > .demo-animated { display: none; }
  .demo > .demo-poses { display: grid; }
}
/* Play, while a step's poses stand still: under them, clear of the drawing (over it, it hid
   the stopwatch or a head); the waiting-room screen puts it in its box's empty corner. */
.demo-play {
  display: flex;
  width: fit-content;
  margin: .5rem auto 0;
  align-items: center;
  gap: .4em;
  min-width: 48px;
  min-height: 48px;
  padding: .4em 1em;
  border: 2px solid #fff;
  border-radius: 999px;
  background: #0b6b63;
  color: #fff;
  font: inherit;
  font-weight: 700;
  cursor: pointer;
  box-shadow: 0 2px 8px rgb(0 0 0 / .25);
}
.demo-play[hidden] { display: none; }
.demo-play svg { width: 1.1em; height: 1.1em; fill: currentColor; }
.demo-play:focus-visible { outline: 3px solid #1b2a33; outline-offset: 2px; }
/* The steps beside a demonstration: the one it is showing is marked; a step that shows its
   pose when tapped is a button that reads as the step itself. Each surface adds its own look. */
[data-step-list] > li[aria-current="step"] {
  background: rgb(11 107 99 / .12);
  box-shadow: inset 4px 0 0 #0b6b63;
}
.step-show {
  display: block;
  width: 100%;
  min-height: 48px;
  margin: 0;
  padding: 0;
  border: 0;
  background: none;
  color: inherit;
  font: inherit;
  line-height: inherit;
  text-align: start;
  cursor: pointer;
  touch-action: manipulation;
}
.step-show:focus-visible { outline: 3px solid #0b6b63; outline-offset: 2px; }
.steps-hint { color: #4d5d66; }
/* On paper, flex rows of equal pictures: WeasyPrint (the PDF sheets) lays out flex, not
   auto-fill grids. */
@media print {
  .demo > .demo-animated, .demo-play, .steps-hint { display: none; }
  [data-step-list] > li[aria-current] { background: none; box-shadow: none; }
  .demo > .demo-poses, .demo-poses { display: flex; flex-wrap: wrap; }
  .demo-pose { flex: 0 0 28mm; break-inside: avoid; }
}
/* The gallery at /demonstrations shows the animation and its key poses together. */
.figures-gallery .demo > .demo-poses {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
  margin-top: .75rem;
}
.figures-gallery .demo > .demo-animated { max-width: 36rem; }
.figures-gallery-item { border-top: 1px solid #d5dcdf; padding: .5rem 0 1.5rem; }
.figures-gallery-item h2 { margin-bottom: .25rem; }
.figures-gallery-name { margin-top: 0; color: #4d5d66; }
.figures-gallery-pair {
  display: grid;
  grid-template-columns: minmax(0, 3fr) minmax(14rem, 2fr);
  gap: 1.5rem;
  align-items: start;
}
@media (max-width: 48rem) { .figures-gallery-pair { grid-template-columns: minmax(0, 1fr); } }
.figures-gallery-steps { margin: 0; padding-left: 1.75rem; }
.figures-gallery-steps li {
  margin-bottom: .35rem;
  padding-left: .4rem;
  border-radius: 0 6px 6px 0;
}
.figures-gallery-pair .steps-hint { grid-column: -2 / -1; margin: 0; }
/* A step tapped (static/js/steps.js): its key poses stand in the animation's place, still,
   until Play. The animation is not drawn meanwhile, so it costs nothing. Last, so that it
   wins over every layout of the key poses above. */
@media screen {
  .demo { position: relative; }
  .demo.is-holding > .demo-animated { display: none; }
  .demo.is-holding > .demo-poses {
    display: grid;
    grid-template-columns: none;
    grid-auto-flow: column;
    grid-auto-columns: minmax(0, 1fr);
  }
  .demo.is-holding .demo-pose:not(.is-held) { display: none; }
}
"""

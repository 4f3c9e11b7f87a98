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
@media (prefers-reduced-motion: reduce) {
  .demo > .demo-animated { display: none; }
  .demo > .demo-poses { display: grid; }
}
/* On paper, flex rows of equal pictures: WeasyPrint (the PDF sheets) lays out flex, not
   auto-fill grids. */
@media print {
  .demo > .demo-animated { display: none; }
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
"""

/**
 * SMI TrafficSplit routing ({@code linkerd}, {@code osm}, {@code smi:v1alpha1|v1alpha2|v1alpha3}):
 * {@link app.flagger.controller.router.smi.SmiRouter} applies the TrafficSplit the pure {@link
 * app.flagger.controller.router.smi.TrafficSplitBuilder} produces. See DESIGN.md.
 */
package app.flagger.controller.router.smi;

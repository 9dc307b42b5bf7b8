// Public surface of harness/recipes: ready-made runs of known failure
// classes, for `faultline repro NAME` and `npm run validate`.
export { RECIPES, RECIPE_NAMES, recipeByName } from './catalog.ts';
export { recipeArgv, recipeTestArgs, type Recipe, type RecipeOverrides } from './recipe.ts';
export { anomalyEvidence, blamedOps, firstAnomaly, type FirstAnomaly } from './first-anomaly.ts';

/* Sales Pulse grids (issue 18): the products grid's category pick lists. The lists come from
   the server (dashapp.ui.catalog, category_choices) into window.salesPulseCategories; the last
   entry of each asks for a new name in a dialog instead of taking a typed one. */
(function () {
  var funcs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

  function choices() {
    var data = window.salesPulseCategories || {};
    return { categories: data.categories || {}, fresh: data["new"] || [] };
  }

  funcs.categoryChoices = function () {
    var c = choices();
    return { values: Object.keys(c.categories).concat(c.fresh.slice(0, 1)) };
  };

  // Sub-categories of the row's own category only.
  funcs.subCategoryChoices = function (params) {
    var c = choices();
    var category = params && params.data ? params.data.category : null;
    var known = (category && c.categories[category]) || [];
    var current = params && params.value ? [params.value] : [];
    var values = known.indexOf(params && params.value) >= 0 ? known : current.concat(known);
    return { values: values.concat(c.fresh.slice(1, 2)) };
  };
})();

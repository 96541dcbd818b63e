/* Sales Pulse order entry: live line amounts and totals in the browser, in integer cents with
   the same half-up rounding as dashapp.orders.line_amount_cents, and the remove-line button. */
(function () {
  var funcs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var components = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
  var money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

  function number(raw) {
    if (raw === null || raw === undefined || raw === "") return null;
    var n = Number(String(raw).replace(/[$,\s]/g, ""));
    return isFinite(n) ? n : null;
  }

  // Cents of one line, or null while a cell is empty or not a number.
  funcs.lineAmountCents = function (row) {
    if (!row) return null;
    var qty = number(row.quantity), price = number(row.unit_price), pct = number(row.discount_pct);
    if (qty === null || price === null) return null;
    var cents = Math.round(price * 100), bp = Math.round((pct || 0) * 100);
    var scaled = Math.round(qty) * cents * (10000 - bp);
    return Math.floor((scaled + 5000) / 10000);
  };

  funcs.orderLineAmount = function (params) {
    var cents = funcs.lineAmountCents(params.data);
    return cents === null ? null : cents / 100;
  };

  funcs.moneyText = function (value) {
    return value === null || value === undefined || value === "" ? "" : money.format(value);
  };

  // Imported orders carry no time of day: show the date alone rather than "00:00".
  funcs.orderDateText = function (value) {
    if (!value) return "";
    return String(value).replace(/ 00:00$/, "");
  };

  funcs.orderTotalText = function (rows) {
    var total = 0, open = 0;
    (rows || []).forEach(function (row) {
      var cents = funcs.lineAmountCents(row);
      if (cents === null) open += 1; else total += cents;
    });
    var count = (rows || []).length;
    return {
      total: money.format(total / 100),
      lines: count === 1 ? "1 line" : count + " lines",
      open: open,
    };
  };

  components.RemoveLineButton = function (props) {
    return React.createElement(
      "button",
      {
        type: "button",
        className: "btn btn-link btn-sm remove-line",
        title: "Remove this line",
        "aria-label": "Remove line " + (props.node.rowIndex + 1),
        onClick: function () { props.setData(Date.now()); },
      },
      "✕"
    );
  };
})();

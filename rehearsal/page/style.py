"""The page's inline stylesheet and its one small script (pickers that show one feed at a time)."""

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.46 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",
Arial,sans-serif;color:#1d1c1d;background:#f8f8f8}
header{background:#3f0e40;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}
nav{background:#350d36;padding:6px 28px;position:sticky;top:0;z-index:2}
nav a{color:#fff;margin-right:18px;text-decoration:none;font-weight:600;font-size:14px}
main{max-width:1100px;margin:0 auto;padding:8px 20px 60px}
section>h2{font-size:19px;border-bottom:1px solid #ddd;padding-bottom:6px;margin-top:32px}
.muted{color:#616061}
.timeline{list-style:none;margin:0;padding:0 0 0 14px;border-left:3px solid #ddd}
.timeline li{position:relative;margin:0 0 6px;padding-left:14px}
.timeline li:before{content:"";position:absolute;left:-22px;top:7px;width:11px;height:11px;
border-radius:50%;background:#bbb}
.timeline li.deadline:before{background:#e01e5a}.timeline li.day:before{background:#2eb67d}
.timeline li.breakout:before,.timeline li.regroup:before{background:#ecb22e}
.timeline li.joinlink:before,.timeline li.morning:before,.timeline li.closed:before,
.timeline li.feedback:before{background:#1264a3}
.timeline .date{font-weight:700;margin:14px 0 6px -14px;list-style:none}
.timeline .date:before{display:none}
.timeline time{font-variant-numeric:tabular-nums;color:#616061;margin-right:8px}
.timeline .detail{color:#616061;font-size:13px}
.picker{margin:10px 0;display:flex;gap:10px;align-items:center}
.picker select{font-size:15px;padding:5px 8px;max-width:100%}
.slack{background:#fff;border:1px solid #ddd;border-radius:8px;max-height:640px;overflow:auto}
.chname{font-weight:700;padding:10px 16px;border-bottom:1px solid #eee;position:sticky;top:0;
background:#fff}
.daysep{text-align:center;margin:14px 0 4px;font-size:13px;font-weight:700}
.daysep span{border:1px solid #ddd;border-radius:12px;padding:2px 12px;background:#fff}
.msg{display:flex;gap:10px;padding:6px 16px}.msg:hover{background:#f8f8f8}
.avatar{width:36px;height:36px;border-radius:6px;background:#4a154b;color:#fff;flex:none;
display:flex;align-items:center;justify-content:center;font-weight:700}
.avatar.person{background:#1264a3}
.who{font-weight:900}.tag{font-size:10px;background:#ddd;border-radius:3px;padding:0 3px;
margin-left:4px;color:#616061}.ts{color:#616061;font-size:12px;margin-left:6px}
.note{font-size:12px;color:#616061}
.body{min-width:0;flex:1}.block{margin:2px 0}
.section{display:flex;gap:12px}.section .text{flex:1}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin-top:4px}
.header{font-weight:900;font-size:18px;margin:6px 0}
.divider{border:0;border-top:1px solid #ddd;margin:10px 0}
.context{font-size:12px;color:#616061}.context span{margin-right:8px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:2px 12px;
font-weight:700;font-size:14px;background:#fff}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.button.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.input-block{margin:12px 0}.input-block label{font-weight:700;display:block;margin-bottom:4px}
.optional{font-weight:400;color:#616061}
.input,.select{border:1px solid #bbb;border-radius:4px;padding:6px 10px;min-height:34px;
background:#fff}.input.multiline{min-height:70px}
.select{display:flex;justify-content:space-between}.caret{color:#616061}
.placeholder{color:#8d8d8d}.hint{font-size:12px;color:#616061;margin-top:2px}
.choice{display:flex;gap:8px;align-items:center;margin:3px 0}
.checkbox,.radio{width:14px;height:14px;border:1px solid #888;display:inline-block}
.radio{border-radius:50%}.checkbox.checked,.radio.checked{background:#1264a3}
.modal{max-width:520px;border-radius:8px;box-shadow:0 4px 18px rgba(0,0,0,.25);background:#fff;
margin:6px 0}
.modal-head{font-weight:900;font-size:18px;padding:14px 18px;border-bottom:1px solid #eee;
display:flex;justify-content:space-between}.modal-head .x{color:#888;font-weight:400}
.modal-body{padding:6px 18px 12px}.modal-foot{border-top:1px solid #eee;padding:12px 18px;
display:flex;justify-content:flex-end;gap:8px}
.home{border:1px solid #ddd;border-radius:6px;padding:8px 14px;background:#fff}
.ephemeral{border-left:3px solid #1264a3;padding-left:8px}
.mine{background:#f4f9ff}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;color:#e01e5a;
font-size:12px}pre{background:#f6f6f6;border:1px solid #ddd;border-radius:4px;padding:8px}
.quote{display:block;border-left:4px solid #ddd;padding-left:10px}
.li{display:block}a{color:#1264a3}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px}
.card h3{margin:0 0 6px;font-size:15px}
.chart .lbl{font-size:11px;fill:#1d1c1d}.chart .val{font-size:11px;fill:#616061}
.chart .axis{stroke:#999}.chart .series{fill:none;stroke:#1264a3;stroke-width:2}
.chart .limit{stroke:#e01e5a;stroke-dasharray:5 4}.chart .deadline{stroke:#3f0e40;
stroke-dasharray:2 3}.chart .limit-lbl{fill:#e01e5a}
pre.summary{white-space:pre-wrap;background:#fff}
.strips{margin:10px 0 18px}.chart .mark{fill:#bbb;stroke:#fff;stroke-width:1.5}
.chart .mark.deadline{fill:#e01e5a}.chart .mark.day{fill:#2eb67d}
.chart .mark.breakout,.chart .mark.regroup{fill:#ecb22e}
.chart .mark.joinlink,.chart .mark.morning,.chart .mark.closed,.chart .mark.feedback{fill:#1264a3}
[hidden]{display:none!important}
@media (max-width:800px){.charts{grid-template-columns:1fr}}
"""

SCRIPT = """
var linked = decodeURIComponent(location.hash.slice(1)).split('=');
document.querySelectorAll('select[data-show]').forEach(function (picker) {
  var kind = picker.getAttribute('data-show');
  function show() {
    document.querySelectorAll('[data-' + kind + ']').forEach(function (el) {
      el.hidden = el.getAttribute('data-' + kind) !== picker.value;
    });
  }
  picker.addEventListener('change', function () {
    show();
    history.replaceState(null, '', '#' + kind + '=' + encodeURIComponent(picker.value));
  });
  var option = 'option[value="' + CSS.escape(linked[1] || '') + '"]';
  if (linked[0] === kind && picker.querySelector(option)) {
    picker.value = linked[1];
    document.getElementById(kind === 'person' ? 'person' : 'channels').scrollIntoView();
  }
  show();
});
"""

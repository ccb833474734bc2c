// The report's stylesheet. Long tokens (URLs, base64, ids) wrap anywhere, so nothing is wider than
// the window; code and curl keep their line breaks (pre-wrap).
export const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--error:#8250df;--skip:#9a6700;--na:#6e7781;--link:#0969da}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--fg);background:#fff;overflow-wrap:anywhere}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.key{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
code{background:var(--soft);border-radius:4px;padding:0 4px}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:6px 0;white-space:pre-wrap;overflow-wrap:anywhere;max-height:420px;overflow-y:auto}
h1{font-size:15px;font-weight:600;color:var(--muted);margin:0 0 10px}
h2{font-size:18px;margin:32px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:0}
.verdict{display:flex;gap:18px;align-items:center;border-radius:10px;padding:16px 20px;margin-bottom:12px;border:1px solid}
.verdict.pass{background:#dafbe1;border-color:#4ac26b}.verdict.fail{background:#ffebe9;border-color:#ff8182}.verdict.unreachable{background:#fff8c5;border-color:#d4a72c}
.verdict .word{font-size:30px;font-weight:800;letter-spacing:.04em;white-space:nowrap;overflow-wrap:normal}
.verdict.pass .word{color:var(--pass)}.verdict.fail .word{color:var(--fail)}.verdict.unreachable .word{color:var(--skip)}
.verdict .line{font-size:16px;font-weight:600}.verdict .sub{color:var(--muted)}
.meta{color:var(--muted);margin:6px 0}.meta code{color:var(--fg)}
.notes{margin:8px 0;padding-left:20px;color:var(--muted)}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:middle}
th{background:var(--soft);font-weight:600;font-size:12px;color:var(--muted);overflow-wrap:normal}
.areas th.n,.areas td.n{width:62px;text-align:right;font-variant-numeric:tabular-nums}
.areas th.barcol{width:34%}.areas td.zero{color:#c5cbd1}.areas td.fail{color:var(--fail);font-weight:700}.areas td.error{color:var(--error);font-weight:700}
.areas td,.areas th{padding:3px 8px}
.areas button{all:unset;cursor:pointer;color:var(--link);font-weight:600}.areas button:hover{text-decoration:underline}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:#eef1f4}
.bar i{display:block;height:100%}
.bar .pass,.dot.pass{background:var(--pass)}.bar .fail,.dot.fail{background:var(--fail)}.bar .error,.dot.error{background:var(--error)}.bar .skip,.dot.skip{background:#d4a72c}.bar .not-applicable,.dot.not-applicable{background:#c5cbd1}
.filter{position:sticky;top:0;z-index:2;background:rgba(255,255,255,.96);border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:18px 0 0;display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center}
.filter label{white-space:nowrap;cursor:pointer}.filter .shown{margin-left:auto;color:var(--muted)}
.filter select{font:inherit;max-width:100%}
.badge{display:inline-block;border-radius:12px;padding:0 8px;font-size:11.5px;font-weight:700;line-height:20px;color:#fff;white-space:nowrap}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.error{background:var(--error)}.badge.skip{background:#9a6700}.badge.not-applicable{background:var(--na)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:12px;padding:0 7px;font-size:11.5px;line-height:18px;color:var(--muted);white-space:nowrap}
.tag.must{border-color:#ff8182;color:var(--fail)}.tag.flaky{border-color:#d4a72c;color:#9a6700}
.card{border:1px solid var(--line);border-left:4px solid var(--fail);border-radius:8px;padding:12px 14px;margin:12px 0;background:#fff}
.card.error{border-left-color:var(--error)}.card.should{border-left-color:#d4a72c}
.card header{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-bottom:6px}
.card .key{font-weight:600}
.card .title{font-size:15px;margin:2px 0 8px}
.card .body{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:8px 16px;align-items:start}.card .body .thumbs{margin:0;max-width:372px;justify-content:flex-end}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 14px;margin:0}
.facts dt{font-weight:600;color:var(--muted)}.facts dd{margin:0;min-width:0}
.facts dd.observed{background:#fff5f5;border-radius:4px;padding:0 4px;white-space:pre-wrap}
.card details,.exchanges details{margin:8px 0 0}
summary{cursor:pointer;color:var(--link)}
.thumbs{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 0}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px;background:#fff;width:174px}
figure img{display:block;max-width:160px;max-height:160px;margin:0 auto;background:repeating-conic-gradient(#e6e9ed 0 25%,#fff 0 50%) 0 0/14px 14px}
figcaption{font-size:12px;line-height:1.35;margin-top:4px}
figcaption .model{font-weight:600}figcaption .dim{color:var(--muted)}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.gen{border:1px solid var(--line);border-radius:8px;padding:10px 12px;min-width:0}.gen.wide{grid-column:1/-1}
.used details{display:inline}.used details[open]{display:block}
.gen h3 .seq{color:var(--muted);font-weight:400}
.used{margin:8px 0 0;font-size:12.5px;color:var(--muted);display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center}
.chip{display:inline-flex;align-items:center;gap:4px;border:1px solid var(--line);border-radius:12px;padding:0 8px;font-size:12px;line-height:20px;max-width:100%}
.dot{display:inline-block;width:8px;height:8px;border-radius:50%;flex:none}
.group>summary{font-size:16px;font-weight:600;color:var(--fg);padding:6px 0}
.group>summary .count{color:var(--muted);font-weight:400}
.sub-group{margin:8px 0 4px 4px}.sub-group h3{font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;margin:14px 0 4px}
.row{display:grid;grid-template-columns:minmax(0,18em) minmax(0,1fr);gap:2px 14px;padding:6px 4px;border-bottom:1px solid #eaeef2}
.row .key{font-weight:600}.row .what{min-width:0}.row .detail{color:var(--muted);font-size:13px}
.row .imgs{font-size:12px}
[hidden]{display:none!important}
.empty{color:var(--muted)}
footer{margin-top:36px;color:var(--muted);font-size:12.5px}
@media (max-width:700px){main{padding:12px}.filter{position:static}.facts{grid-template-columns:minmax(0,1fr)}.facts dd{margin-bottom:4px}.row{grid-template-columns:minmax(0,1fr)}.areas th.barcol,.areas td.barcell{display:none}.card .body{grid-template-columns:minmax(0,1fr)}.areas th.n,.areas td.n{width:42px;padding:3px 4px;font-size:11.5px}.verdict{flex-direction:column;align-items:flex-start;gap:4px}}
`;

// tf_check.js: parses .tf files with HashiCorp's HCL parser (@cdktf/hcl2json) and formats them
// with HashiCorp's formatter (@cdktf/hcl-tools), all in this one process (node and the
// WebAssembly parsers start once). Usage: node tf_check.js NAME FILE.tf PARSED.json ...
// For each triple, writes the parse to PARSED.json and prints one TAP line for NAME: ok when
// `terraform fmt` leaves the file as it is, else not ok and where the first line differs.
const fs = require("fs");
const { parse } = require("@cdktf/hcl2json");
const { format } = require("@cdktf/hcl-tools");

async function one(name, file, out) {
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(out, JSON.stringify(await parse(file, text)));
    const formatted = await format(text);
    if (formatted === text) {
        console.log(`ok - terraform ${name}: laid out as HashiCorp's formatter lays it`);
        return;
    }
    const a = text.split("\n"), b = formatted.split("\n");
    const i = a.findIndex((l, k) => l !== b[k]);
    console.log(`not ok - terraform ${name}: HashiCorp's formatter changes it`);
    console.log(`#   line ${i + 1}: written  ${JSON.stringify(a[i])}`);
    console.log(`#   line ${i + 1}: hcl fmt  ${JSON.stringify(b[i])}`);
}

(async () => {
    const args = process.argv.slice(2);
    let status = 0;
    for (let k = 0; k + 2 < args.length; k += 3) {
        try {
            await one(args[k], args[k + 1], args[k + 2]);
        } catch (e) {
            console.log(`not ok - terraform ${args[k]}: ${String(e).split("\n")[0]}`);
            status = 1;
        }
    }
    process.exitCode = status;
})();

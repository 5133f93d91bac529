//! Gives sibai.exe and sibaiw.exe their icon when built for Windows (the window takes the
//! same icon at run time, from `assets/icon/sibai.png`). `embed-resource` compiles `assets/icon/sibai.rc`
//! with the Windows resource compiler (mingw-w64's windres when cross-building on Linux);
//! for any other target it does nothing.

fn main() {
    println!("cargo::rerun-if-changed=assets/icon/sibai.rc");
    println!("cargo::rerun-if-changed=assets/icon/sibai.ico");
    // A Windows build without its icon is refused rather than shipped quietly without it.
    if let Err(e) = embed_resource::compile_for(
        "assets/icon/sibai.rc",
        ["sibai", "sibaiw"],
        embed_resource::NONE,
    )
    .manifest_required()
    {
        println!("cargo::error=无法把图标编进 sibai.exe 和 sibaiw.exe：{e}");
    }
}

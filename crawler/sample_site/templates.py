"""HTML skeletons of the sample sites' pages, as `string.Template`s (`$name`; CSS braces stay literal).

Every value substituted here is already HTML: generate.py escapes text before it gets here. The
class names are the plain ones real portals use, so extractors meet the usual furniture.
"""

from __future__ import annotations

from string import Template

PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
$charset_meta
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$head_title</title>
<meta name="keywords" content="$keywords">
<meta name="description" content="$description">
$head_extra<link rel="stylesheet" href="/static/css/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
</head>
<body>
<div class="topbar"><div class="wrap"><span class="today">$today</span><span class="top-links">$top_links</span></div></div>
<div class="header"><div class="wrap"><a class="logo" href="/">$site_name</a>
<form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="$search_hint"><button type="submit">$search</button></form></div></div>
<div class="nav"><div class="wrap"><ul>$nav</ul></div></div>
<div class="wrap main">
$main
</div>
<div class="footer"><div class="wrap">
$footer
</div></div>
</body>
</html>
""")

ARTICLE_HEAD = Template("""<link rel="canonical" href="$url">
<meta name="publishdate" content="$published">
<meta name="author" content="$author">
<meta name="source" content="$source">
<meta property="og:type" content="article">
<meta property="og:title" content="$title">
<meta property="og:url" content="$url">
<meta property="og:site_name" content="$site_name">
<meta property="article:published_time" content="$published_iso">
""")

ARTICLE = Template("""<div class="crumb"><a href="/">$home</a> &gt; <a href="$section_url">$section_name</a> &gt; $body_label</div>
<div class="col-main">
<div class="article">
<h1 class="article-title">$title</h1>
<div class="article-meta"><span class="pubtime">$published</span> <span class="source">$source_label$source</span> <span class="author">$author_label$author</span></div>
<div class="share">$share_label$share_links<span class="wx-tip">$wechat_tip</span></div>
$fontsize<div class="article-content">
$body
</div>
<div class="editor">$editor_line</div>
<div class="tools"><a href="javascript:window.print()">$print</a> <a href="javascript:window.close()">$close</a></div>
</div>
$after_body</div>
<div class="col-side">
$side</div>""")

FONTSIZE = Template('<div class="fontsize">【$label <a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</div>\n')

FIGURE = Template("""<figure class="article-img"><img src="/static/img/photo.gif" alt=""><figcaption>$caption</figcaption></figure>
""")

LINK_LIST = Template("""<div class="$css"><h3>$heading</h3><ul>
$items
</ul></div>
""")

MOOD = Template("""<div class="mood"><p>$heading</p><ul>$items</ul></div>
""")

COMMENTS = Template("""<div id="comments" class="comment-box"><h3>$heading</h3><ul>
$items
</ul><div class="comment-more">$more</div></div>
""")

COMMENT = Template('<li><span class="user">$user</span> <span class="time">$time</span><p>$text</p></li>')

LISTING = Template("""<div class="crumb"><a href="/">$home</a> &gt; $section_name</div>
<div class="col-main">
<h2 class="list-title">$section_name</h2>
<ul class="news-list">
$items
</ul>
<div class="pager">$pager</div>
</div>
<div class="col-side">
$side</div>""")

HOME = Template("""<div class="col-main">
<div class="headline"><h2><a href="$lead_url">$lead_title</a></h2><p>$lead_summary</p></div>
$blocks</div>
<div class="col-side">
$side</div>""")

HOME_BLOCK = Template("""<div class="block"><h3><a href="$url">$name</a><a class="more" href="$url">$more</a></h3><ul>
$items
</ul></div>
""")

PRIVATE = Template("""<div class="col-main"><h2>$title</h2><p>$text</p>
<form method="post" action="/private/login"><input type="text" name="user"> <input type="password" name="pass"> <button type="submit">登录</button></form></div>""")

NOT_FOUND = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title></head>
<body><h1>404 Not Found</h1><p>您访问的页面不存在或已被删除。</p><p><a href="/">返回首页</a></p></body></html>
"""

MOVED = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>301 Moved Permanently</title></head>
<body><p>页面已迁移至 <a href="{location}">{location}</a></p></body></html>
"""

STYLE = """body{margin:0;font:14px/1.8 "Microsoft YaHei",sans-serif;color:#333}
a{color:#1a3b6e;text-decoration:none}
.wrap{width:1000px;margin:0 auto}
.topbar{background:#f2f2f2;font-size:12px}.top-links{float:right}
.header .logo{font-size:28px;font-weight:bold;color:#b40000}.search{float:right;margin-top:10px}
.nav{background:#b40000}.nav li{display:inline-block;padding:0 16px}.nav a{color:#fff}
.col-main{float:left;width:680px}.col-side{float:right;width:290px}
.main:after{content:"";display:block;clear:both}
.article-title{font-size:26px}.article-meta,.share,.editor{color:#888;font-size:13px}
.article-content p{text-indent:2em}.article-img img{width:100%}
.article-img figcaption{text-align:center;color:#666}
.footer{border-top:2px solid #b40000;color:#888;font-size:12px;text-align:center;margin-top:20px}
"""

# 1×1 transparent GIF: the photo every figure points at, so pages render without broken images.
PHOTO_GIF = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)

"""The common Chinese surnames, as mainland, Taiwan and Hong Kong print them.

A name starting with one is the weakest clue that a short line credits a person, not a phrase: the
extraction layer reads bare name lines under a headline with it, the credits step bare-titled bylines.
"""

from __future__ import annotations

import re

COMMON_SURNAMES = re.compile(
    "(?:欧阳|司马|上官|诸葛|东方|皇甫|慕容|令狐|[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
    "袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景"
    "党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    # the same surnames as Taiwan and Hong Kong print them
    "陳劉張楊黃趙吳孫馬鄭謝韓馮鄧蕭葉蘇呂盧鍾譚陸賈閻龔萬錢嚴顏聶龍羅許鄒賴廖蔣餘鄭簡賴莊鐘饒湯藍])"
)

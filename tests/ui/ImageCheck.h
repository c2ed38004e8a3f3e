#pragma once
// Whether a rendered image has real content: a blank or failed render has few colours.
#include <QImage>
#include <QSet>

namespace factorscope::test {

inline int distinctColours(const QImage& img, int step = 3) {
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += step)
        for (int x = 0; x < img.width(); x += step)
            colours.insert(img.pixel(x, y));
    return colours.size();
}

} // namespace factorscope::test
